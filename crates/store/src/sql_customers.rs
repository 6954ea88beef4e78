//! Customer profiles, their identifiers and merges in SQL, compiled once per backend like
//! `sql.rs`. Identity resolution runs inside the caller's transaction, so a request and the
//! profile it joins are stored together or not at all.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::customer::{self, Consent, CustomerFields, Identifier, IdentifierKind};
use touchpoints_core::identity::{self, Candidate, Resolution};
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::{Conn, SqlStore, corrupt, from_json_table, instant, json_rows, json_table, now};
use super::sql_audit::{audit, audit_said};
use crate::dialect::Dialect;
use crate::{CustomerProfile, Customers, MergeRecord, Result, StoreError};

#[derive(sqlx::FromRow)]
pub(super) struct CustomerRow {
    pub(super) id: i64,
    name: String,
    salutation: String,
    language: String,
    preferred_channel: String,
    segments: String,
    attributes: String,
    consent: String,
    lifetime_value_cents: i64,
    merged_into: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

pub(super) const CUSTOMER_COLUMNS: &str = "id, name, salutation, language, preferred_channel, segments, \
     attributes, consent, lifetime_value_cents, merged_into, created_at, updated_at";

impl CustomerRow {
    pub(super) fn fields(&self) -> Result<CustomerFields> {
        let json = |what: &str, text: &str| corrupt("customers", format!("{what}: {text}"));
        Ok(CustomerFields {
            name: self.name.clone(),
            salutation: self.salutation.clone(),
            language: self.language.clone(),
            preferred_channel: self.preferred_channel.clone(),
            segments: serde_json::from_str(&self.segments)
                .map_err(|e| json("segments", &e.to_string()))?,
            attributes: serde_json::from_str::<BTreeMap<String, String>>(&self.attributes)
                .map_err(|e| json("attributes", &e.to_string()))?,
            consent: serde_json::from_str::<Consent>(&self.consent)
                .map_err(|e| json("consent", &e.to_string()))?,
            lifetime_value_cents: self.lifetime_value_cents,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MergeRow {
    id: i64,
    survivor_id: i64,
    absorbed_id: i64,
    reason: String,
    actor: String,
    at: i64,
    undone_at: Option<i64>,
    undone_by: Option<String>,
}

const MERGE_COLUMNS: &str = "id, survivor_id, absorbed_id, reason, actor, at, undone_at, undone_by";

impl MergeRow {
    fn into_record(self) -> Result<MergeRecord> {
        Ok(MergeRecord {
            id: self.id,
            survivor_id: self.survivor_id,
            absorbed_id: self.absorbed_id,
            reason: self.reason,
            actor: self.actor,
            at: instant("customer_merges", self.at)?,
            undone_at: self
                .undone_at
                .map(|m| instant("customer_merges", m))
                .transpose()?,
            undone_by: self.undone_by,
        })
    }
}

/// What a merge keeps to be undone.
#[derive(serde::Serialize, serde::Deserialize)]
struct Snapshot {
    survivor: CustomerFields,
    absorbed: CustomerFields,
    identifiers: Vec<i64>,
    requests: Vec<i64>,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| corrupt("customers", e.to_string()))
}

pub(super) async fn lock_identities(conn: &mut Conn) -> Result<()> {
    if let Some(sql) = Backend::IDENTITY_LOCK {
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    Ok(())
}

async fn customer_row(conn: &mut Conn, id: i64, lock: bool) -> Result<CustomerRow> {
    let lock = if lock { Backend::LOCK_ROW } else { "" };
    let row: Option<CustomerRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(StoreError::NotFound { entity: "customer" })
}

async fn identifiers_of(conn: &mut Conn, id: i64) -> Result<Vec<Identifier>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, value FROM customer_identifiers WHERE customer_id = $1 ORDER BY kind, value",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(kind, value)| {
            Ok(Identifier {
                kind: IdentifierKind::parse(&kind)
                    .ok_or_else(|| corrupt("customer_identifiers", format!("kind {kind}")))?,
                value,
            })
        })
        .collect()
}

pub(super) async fn load_customer(conn: &mut Conn, id: i64) -> Result<CustomerProfile> {
    let row = customer_row(conn, id, false).await?;
    let fields = row.fields()?;
    Ok(CustomerProfile {
        id: row.id,
        fields,
        identifiers: identifiers_of(conn, id).await?,
        merged_into: row.merged_into,
        created_at: instant("customers", row.created_at)?,
        updated_at: instant("customers", row.updated_at)?,
    })
}

/// A profile's row with one of its identifiers (none for a profile without any).
#[derive(sqlx::FromRow)]
struct CustomerIdentifierRow {
    #[sqlx(flatten)]
    customer: CustomerRow,
    kind: Option<String>,
    value: Option<String>,
}

/// The profiles of `ids` in ascending id order, each once, with one query: a profile's row
/// comes once per identifier, identifiers ordered as [`identifiers_of`] orders them.
async fn load_customers(conn: &mut Conn, ids: &[i64]) -> Result<Vec<CustomerProfile>> {
    let batch = json_rows(ids.iter().map(|id| serde_json::json!(id)).collect());
    let rows: Vec<CustomerIdentifierRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT c.*, i.kind, i.value FROM (SELECT {CUSTOMER_COLUMNS} FROM customers \
         WHERE id IN (SELECT CAST(batch.value AS BIGINT) FROM {json_values})) AS c \
         LEFT JOIN customer_identifiers i ON i.customer_id = c.id \
         ORDER BY c.id, i.kind, i.value",
        json_values = Backend::JSON_VALUES
    )))
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<CustomerProfile> = Vec::new();
    for row in rows {
        let identifier = match (row.kind, row.value) {
            (Some(kind), Some(value)) => Some(Identifier {
                kind: IdentifierKind::parse(&kind)
                    .ok_or_else(|| corrupt("customer_identifiers", format!("kind {kind}")))?,
                value,
            }),
            _ => None,
        };
        let customer = row.customer;
        if out.last().is_none_or(|p| p.id != customer.id) {
            out.push(CustomerProfile {
                id: customer.id,
                fields: customer.fields()?,
                identifiers: Vec::new(),
                merged_into: customer.merged_into,
                created_at: instant("customers", customer.created_at)?,
                updated_at: instant("customers", customer.updated_at)?,
            });
        }
        if let (Some(identifier), Some(profile)) = (identifier, out.last_mut()) {
            profile.identifiers.push(identifier);
        }
    }
    Ok(out)
}

/// The fields of a profile, for the priority of its requests: lifetime value and segments.
pub(super) async fn customer_signals(conn: &mut Conn, id: i64) -> Result<(i64, Vec<String>)> {
    let row = customer_row(conn, id, false).await?;
    Ok((row.lifetime_value_cents, row.fields()?.segments))
}

async fn insert_customer(conn: &mut Conn, fields: &CustomerFields, at: Timestamp) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO customers (name, salutation, language, preferred_channel, segments, \
         attributes, consent, lifetime_value_cents, merged_into, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9) RETURNING id",
    )
    .bind(&fields.name)
    .bind(&fields.salutation)
    .bind(&fields.language)
    .bind(&fields.preferred_channel)
    .bind(json(&fields.segments)?)
    .bind(json(&fields.attributes)?)
    .bind(json(&fields.consent)?)
    .bind(fields.lifetime_value_cents)
    .bind(at.as_microsecond())
    .fetch_one(&mut *conn)
    .await?)
}

async fn write_fields(
    conn: &mut Conn,
    id: i64,
    fields: &CustomerFields,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET name = $1, salutation = $2, language = $3, \
         preferred_channel = $4, segments = $5, attributes = $6, consent = $7, \
         lifetime_value_cents = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&fields.name)
    .bind(&fields.salutation)
    .bind(&fields.language)
    .bind(&fields.preferred_channel)
    .bind(json(&fields.segments)?)
    .bind(json(&fields.attributes)?)
    .bind(json(&fields.consent)?)
    .bind(fields.lifetime_value_cents)
    .bind(at.as_microsecond())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The live profiles identifiers point at, as merge candidates.
async fn candidates(conn: &mut Conn, identifiers: &[Identifier]) -> Result<Vec<Candidate>> {
    let mut found = Vec::new();
    for identifier in identifiers {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.created_at FROM customer_identifiers i \
             JOIN customers c ON c.id = i.customer_id WHERE i.kind = $1 AND i.value = $2",
        )
        .bind(identifier.kind.as_str())
        .bind(&identifier.value)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((id, created)) = row {
            found.push(Candidate {
                id,
                created_at: instant("customers", created)?,
            });
        }
    }
    Ok(found)
}

async fn attach(
    conn: &mut Conn,
    customer: i64,
    identifiers: &[Identifier],
    at: Timestamp,
) -> Result<()> {
    for identifier in identifiers {
        sqlx::query(
            "INSERT INTO customer_identifiers (customer_id, kind, value, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (kind, value) DO NOTHING",
        )
        .bind(customer)
        .bind(identifier.kind.as_str())
        .bind(&identifier.value)
        .bind(at.as_microsecond())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Merges `absorbed` into `survivor` inside the caller's transaction and records the merge.
async fn absorb(
    conn: &mut Conn,
    survivor: i64,
    absorbed: i64,
    reason: &str,
    at: Timestamp,
    actor: &str,
) -> Result<MergeRecord> {
    let s = customer_row(conn, survivor, true).await?;
    let a = customer_row(conn, absorbed, true).await?;
    if s.merged_into.is_some() || a.merged_into.is_some() {
        return Err(StoreError::Conflict(Problems::single(
            "customer",
            Problem::rule("customer-merged", "a merged profile cannot be merged again"),
        )));
    }
    let (s_fields, a_fields) = (s.fields()?, a.fields()?);
    let identifiers: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM customer_identifiers WHERE customer_id = $1 ORDER BY id",
    )
    .bind(absorbed)
    .fetch_all(&mut *conn)
    .await?;
    let requests: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM requests WHERE customer_id = $1 ORDER BY id")
            .bind(absorbed)
            .fetch_all(&mut *conn)
            .await?;
    let merged = identity::merge_fields(&s_fields, &a_fields);
    let snapshot = json(&Snapshot {
        survivor: s_fields,
        absorbed: a_fields,
        identifiers,
        requests,
    })?;
    sqlx::query("UPDATE customer_identifiers SET customer_id = $1 WHERE customer_id = $2")
        .bind(survivor)
        .bind(absorbed)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE requests SET customer_id = $1 WHERE customer_id = $2")
        .bind(survivor)
        .bind(absorbed)
        .execute(&mut *conn)
        .await?;
    write_fields(conn, survivor, &merged, at).await?;
    sqlx::query("UPDATE customers SET merged_into = $1, updated_at = $2 WHERE id = $3")
        .bind(survivor)
        .bind(at.as_microsecond())
        .bind(absorbed)
        .execute(&mut *conn)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customer_merges (survivor_id, absorbed_id, reason, actor, at, snapshot) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(survivor)
    .bind(absorbed)
    .bind(reason)
    .bind(actor)
    .bind(at.as_microsecond())
    .bind(&snapshot)
    .fetch_one(&mut *conn)
    .await?;
    audit_said(
        conn,
        at,
        actor,
        "customer.merge",
        "customer",
        &survivor.to_string(),
        &format!("profile {absorbed} merged into {survivor} ({reason})"),
        &merge_said(survivor, absorbed, reason),
    )
    .await?;
    Ok(MergeRecord {
        id,
        survivor_id: survivor,
        absorbed_id: absorbed,
        reason: reason.to_owned(),
        actor: actor.to_owned(),
        at,
        undone_at: None,
        undone_by: None,
    })
}

/// What the log says of a merge: the fixed reasons in the catalogue's words, the shared
/// identifiers that joined two profiles as they are.
fn merge_said(survivor: i64, absorbed: i64, reason: &str) -> Said {
    let said = Said::new("audit-customer-merge")
        .number("absorbed", absorbed as f64)
        .number("survivor", survivor as f64);
    match reason {
        "by hand" | "identifier added" | "phone number" => {
            said.label("reason", format!("merge-why-{}", reason.replace(' ', "-")))
        }
        shared => said.text("reason", shared),
    }
}

/// Merges two live profiles, the older surviving.
async fn merge_pair(
    conn: &mut Conn,
    a: i64,
    b: i64,
    reason: &str,
    actor: &str,
) -> Result<MergeRecord> {
    let ra = live(conn, a).await?;
    let rb = live(conn, b).await?;
    let found = [
        Candidate {
            id: a,
            created_at: instant("customers", ra.created_at)?,
        },
        Candidate {
            id: b,
            created_at: instant("customers", rb.created_at)?,
        },
    ];
    let Resolution::Merge { survivor, absorbed } = identity::resolve(&found) else {
        return Err(corrupt("customers", "two profiles resolved to one"));
    };
    let mut record = None;
    for other in absorbed {
        record = Some(absorb(conn, survivor, other, reason, now(), actor).await?);
    }
    record.ok_or_else(|| corrupt("customers", "nothing merged"))
}

/// The settings key that names the rules the stored phone numbers follow.
const PHONE_RULES_KEY: &str = "phone_rules";

/// What storing the phone numbers by this build's rules changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhonesRenewed {
    /// Numbers stored in a new form.
    pub changed: usize,
    /// Profiles merged into another because both hold the same number now.
    pub merged: usize,
}

impl SqlStore {
    /// Stores every phone number by this build's rules ([`customer::PHONE_RULES`]) unless
    /// the store says it holds them so already. Two profiles whose numbers turn out to be one
    /// are merged as any merge is (recorded, undoable, audited), the older surviving; the
    /// absorbed profile's number in its old form goes, since the survivor holds it.
    ///
    /// One transaction under the identity lock that checks the rules again: app servers that
    /// start together renew once.
    pub(crate) async fn renew_phone_numbers(&self) -> Result<PhonesRenewed> {
        let mut renewed = PhonesRenewed::default();
        let mut tx = self.begin().await?;
        lock_identities(&mut tx).await?;
        let rules: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(PHONE_RULES_KEY)
            .fetch_optional(&mut *tx)
            .await?;
        if rules.as_deref() == Some(customer::PHONE_RULES) {
            return Ok(renewed);
        }
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, customer_id, value FROM customer_identifiers WHERE kind = 'phone' \
             ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        // Which profile holds each number now.
        let mut holders: HashMap<String, i64> = rows
            .iter()
            .map(|(_, customer, value)| (value.clone(), *customer))
            .collect();
        for (id, _, value) in rows {
            // A number no longer readable stays as it is: nothing finds it by another form.
            let Ok(normal) = customer::normalize_phone(&value) else {
                continue;
            };
            if normal == value {
                continue;
            }
            let Some(&owner) = holders.get(&value) else {
                continue;
            };
            match holders.get(&normal).copied() {
                None => {
                    sqlx::query("UPDATE customer_identifiers SET value = $1 WHERE id = $2")
                        .bind(&normal)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    holders.insert(normal, owner);
                }
                Some(holder) => {
                    if holder != owner {
                        let merge =
                            merge_pair(&mut tx, owner, holder, "phone number", "system").await?;
                        for profile in holders.values_mut() {
                            if *profile == merge.absorbed_id {
                                *profile = merge.survivor_id;
                            }
                        }
                        renewed.merged += 1;
                    }
                    sqlx::query("DELETE FROM customer_identifiers WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            holders.remove(&value);
            renewed.changed += 1;
        }
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(PHONE_RULES_KEY)
        .bind(customer::PHONE_RULES)
        .execute(&mut *tx)
        .await?;
        if renewed.changed > 0 {
            audit_said(
                &mut tx,
                now(),
                "system",
                "customer.phones",
                "customer",
                "",
                &format!(
                    "{} phone numbers stored by {}; {} profiles merged",
                    renewed.changed,
                    customer::PHONE_RULES,
                    renewed.merged
                ),
                &Said::new("audit-customer-phones")
                    .number("changed", renewed.changed as f64)
                    .number("merged", renewed.merged as f64),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(renewed)
    }
}

/// Finds (or creates) the profile of a sender inside the caller's transaction: identifiers
/// that point at several profiles merge them, the oldest surviving; unknown identifiers join
/// the profile. Returns the profile's id and whether it was created.
pub(super) async fn resolve_customer(
    conn: &mut Conn,
    name: &str,
    identifiers: &[Identifier],
    at: Timestamp,
    actor: &str,
) -> Result<(i64, bool)> {
    let found = candidates(conn, identifiers).await?;
    let (id, created) = match identity::resolve(&found) {
        Resolution::New => {
            let fields = CustomerFields {
                name: name.to_owned(),
                ..CustomerFields::default()
            };
            (insert_customer(conn, &fields, at).await?, true)
        }
        Resolution::Existing(id) => (id, false),
        Resolution::Merge { survivor, absorbed } => {
            let shared = identifiers
                .iter()
                .map(|i| format!("{} {}", i.kind.as_str(), i.value))
                .collect::<Vec<_>>()
                .join(", ");
            for other in absorbed {
                absorb(conn, survivor, other, &shared, at, actor).await?;
            }
            (survivor, false)
        }
    };
    if found.len() < identifiers.len() {
        attach(conn, id, identifiers, at).await?;
    }
    if !created && !name.is_empty() {
        // A profile first known without a name learns it from the request.
        sqlx::query("UPDATE customers SET name = $1 WHERE id = $2 AND name = ''")
            .bind(name)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok((id, created))
}

async fn live(conn: &mut Conn, id: i64) -> Result<CustomerRow> {
    let row = customer_row(conn, id, true).await?;
    if let Some(into) = row.merged_into {
        return Err(StoreError::Conflict(Problems::single(
            "customer",
            Problem::rule(
                "customer-merged",
                &format!("the profile was merged into profile {into}"),
            ),
        )));
    }
    Ok(row)
}

/// Everything the profiles hold, for an export (DSGVO Art. 15).
pub(super) async fn export_customers(conn: &mut Conn, ids: &[i64]) -> Result<serde_json::Value> {
    let mut out = Vec::new();
    for id in ids {
        let profile = load_customer(conn, *id).await?;
        out.push(serde_json::to_value(profile).map_err(|e| corrupt("customers", e.to_string()))?);
    }
    Ok(serde_json::Value::Array(out))
}

/// Deletes the profiles with their identifiers and merge records (whose snapshots hold
/// personal data). Returns the records deleted.
pub(super) async fn erase_customers(conn: &mut Conn, ids: &[i64]) -> Result<u64> {
    let mut changed = 0;
    for id in ids {
        changed +=
            sqlx::query("DELETE FROM customer_merges WHERE survivor_id = $1 OR absorbed_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        changed += sqlx::query("DELETE FROM customer_identifiers WHERE customer_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        sqlx::query("UPDATE customers SET merged_into = NULL WHERE merged_into = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for id in ids {
        changed += sqlx::query("DELETE FROM customers WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(changed)
}

#[async_trait]
impl Customers for SqlStore {
    async fn customer(&self, id: i64) -> Result<CustomerProfile> {
        let mut conn = self.pool.acquire().await?;
        load_customer(&mut conn, id).await
    }

    async fn customers_by_id(&self, ids: &[i64]) -> Result<Vec<CustomerProfile>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.acquire().await?;
        load_customers(&mut conn, ids).await
    }

    async fn find_customer(&self, identifier: &Identifier) -> Result<Option<CustomerProfile>> {
        let mut conn = self.pool.acquire().await?;
        let found = candidates(&mut conn, std::slice::from_ref(identifier)).await?;
        match found.first() {
            Some(c) => Ok(Some(load_customer(&mut conn, c.id).await?)),
            None => Ok(None),
        }
    }

    async fn customers(&self, search: &str, limit: u32) -> Result<Vec<CustomerProfile>> {
        let mut conn = self.pool.acquire().await?;
        let words = search.trim().to_lowercase();
        let ids: Vec<i64> = if words.is_empty() {
            sqlx::query_scalar(
                "SELECT id FROM customers WHERE merged_into IS NULL ORDER BY id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await?
        } else {
            // Names are folded here (SQLite's lower() folds ASCII only); identifiers are
            // stored folded already.
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, name FROM customers WHERE merged_into IS NULL ORDER BY id DESC",
            )
            .fetch_all(&mut *conn)
            .await?;
            let by_identifier: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT customer_id FROM customer_identifiers WHERE value LIKE $1",
            )
            .bind(format!("%{}%", words.replace(['%', '_'], "")))
            .fetch_all(&mut *conn)
            .await?;
            rows.into_iter()
                .filter(|(id, name)| {
                    name.to_lowercase().contains(&words) || by_identifier.contains(id)
                })
                .map(|(id, _)| id)
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .collect()
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(load_customer(&mut conn, id).await?);
        }
        Ok(out)
    }

    async fn create_customer(
        &self,
        fields: &CustomerFields,
        identifiers: &[Identifier],
        actor: &str,
    ) -> Result<CustomerProfile> {
        let mut tx = self.begin().await?;
        lock_identities(&mut tx).await?;
        let at = now();
        let id = if identifiers.is_empty() {
            insert_customer(&mut tx, fields, at).await?
        } else {
            let (id, created) =
                resolve_customer(&mut tx, &fields.name, identifiers, at, actor).await?;
            let current = customer_row(&mut tx, id, true).await?.fields()?;
            let merged = if created {
                fields.clone()
            } else {
                identity::merge_fields(&current, fields)
            };
            write_fields(&mut tx, id, &merged, at).await?;
            id
        };
        audit(
            &mut tx,
            at,
            actor,
            "customer.create",
            "customer",
            &id.to_string(),
            &fields.name,
        )
        .await?;
        let profile = load_customer(&mut tx, id).await?;
        tx.commit().await?;
        Ok(profile)
    }

    async fn update_customer(
        &self,
        id: i64,
        fields: &CustomerFields,
        actor: &str,
    ) -> Result<CustomerProfile> {
        let mut tx = self.begin().await?;
        live(&mut tx, id).await?;
        let at = now();
        write_fields(&mut tx, id, fields, at).await?;
        audit(
            &mut tx,
            at,
            actor,
            "customer.update",
            "customer",
            &id.to_string(),
            &fields.name,
        )
        .await?;
        let profile = load_customer(&mut tx, id).await?;
        tx.commit().await?;
        Ok(profile)
    }

    async fn add_identifiers(
        &self,
        id: i64,
        identifiers: &[Identifier],
        actor: &str,
    ) -> Result<CustomerProfile> {
        let mut tx = self.begin().await?;
        lock_identities(&mut tx).await?;
        let row = live(&mut tx, id).await?;
        let at = now();
        let mut found = candidates(&mut tx, identifiers).await?;
        found.push(Candidate {
            id,
            created_at: instant("customers", row.created_at)?,
        });
        let survivor = match identity::resolve(&found) {
            Resolution::Merge { survivor, absorbed } => {
                for other in absorbed {
                    absorb(&mut tx, survivor, other, "identifier added", at, actor).await?;
                }
                survivor
            }
            _ => id,
        };
        attach(&mut tx, survivor, identifiers, at).await?;
        let summary = identifiers
            .iter()
            .map(|i| i.kind.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        audit(
            &mut tx,
            at,
            actor,
            "customer.identify",
            "customer",
            &survivor.to_string(),
            &summary,
        )
        .await?;
        let profile = load_customer(&mut tx, survivor).await?;
        tx.commit().await?;
        Ok(profile)
    }

    async fn merge_customers(&self, a: i64, b: i64, actor: &str) -> Result<MergeRecord> {
        if a == b {
            return Err(StoreError::Invalid(Problems::single(
                "customer",
                Problem::Invalid {
                    reason: "a profile cannot be merged with itself".into(),
                },
            )));
        }
        let mut tx = self.begin().await?;
        lock_identities(&mut tx).await?;
        let record = merge_pair(&mut tx, a, b, "by hand", actor).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn last_purchases(&self, refs: &[String]) -> Result<HashMap<String, (Timestamp, i64)>> {
        let mut newest = HashMap::new();
        if refs.is_empty() {
            return Ok(newest);
        }
        let batch = json_rows(refs.iter().map(|r| serde_json::json!(r)).collect());
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT customer_ref, at, amount_cents FROM customer_events \
             WHERE kind = 'purchase' AND customer_ref IN (SELECT batch.value FROM {json_values}) \
             ORDER BY at, id",
            json_values = Backend::JSON_VALUES
        )))
        .bind(batch)
        .fetch_all(&self.pool)
        .await?;
        // In time order: each reference ends with its newest.
        for (reference, at, cents) in rows {
            newest.insert(reference, (instant("customer_events", at)?, cents));
        }
        Ok(newest)
    }

    async fn merges(&self, customer_id: i64) -> Result<Vec<MergeRecord>> {
        let rows: Vec<MergeRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {MERGE_COLUMNS} FROM customer_merges \
             WHERE survivor_id = $1 OR absorbed_id = $1 ORDER BY id DESC"
        )))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(MergeRow::into_record).collect()
    }

    async fn unmerge(&self, merge_id: i64, actor: &str) -> Result<MergeRecord> {
        let mut tx = self.begin().await?;
        lock_identities(&mut tx).await?;
        let merge: Option<MergeRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {MERGE_COLUMNS} FROM customer_merges WHERE id = $1{lock_row}",
            lock_row = Backend::LOCK_ROW
        )))
        .bind(merge_id)
        .fetch_optional(&mut *tx)
        .await?;
        let merge = merge.ok_or(StoreError::NotFound { entity: "merge" })?;
        let conflict = |reason: &str| {
            StoreError::Conflict(Problems::single(
                "merge",
                Problem::rule("merge-not-undoable", reason),
            ))
        };
        if merge.undone_at.is_some() {
            return Err(conflict("the merge was undone already"));
        }
        let later: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM customer_merges WHERE undone_at IS NULL AND id > $1 \
             AND (survivor_id = $2 OR absorbed_id = $2) ORDER BY id LIMIT 1",
        )
        .bind(merge_id)
        .bind(merge.survivor_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(later) = later {
            return Err(conflict(&format!("undo the later merge {later} first")));
        }
        let snapshot: String =
            sqlx::query_scalar("SELECT snapshot FROM customer_merges WHERE id = $1")
                .bind(merge_id)
                .fetch_one(&mut *tx)
                .await?;
        let snapshot: Snapshot = serde_json::from_str(&snapshot)
            .map_err(|e| corrupt("customer_merges", e.to_string()))?;
        let at = now();
        let (s, a) = (merge.survivor_id, merge.absorbed_id);
        for id in &snapshot.identifiers {
            sqlx::query(
                "UPDATE customer_identifiers SET customer_id = $1 WHERE id = $2 AND customer_id = $3",
            )
            .bind(a)
            .bind(id)
            .bind(s)
            .execute(&mut *tx)
            .await?;
        }
        for id in &snapshot.requests {
            sqlx::query("UPDATE requests SET customer_id = $1 WHERE id = $2 AND customer_id = $3")
                .bind(a)
                .bind(id)
                .bind(s)
                .execute(&mut *tx)
                .await?;
        }
        write_fields(&mut tx, s, &snapshot.survivor, at).await?;
        write_fields(&mut tx, a, &snapshot.absorbed, at).await?;
        sqlx::query("UPDATE customers SET merged_into = NULL WHERE id = $1")
            .bind(a)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE customer_merges SET undone_at = $1, undone_by = $2 WHERE id = $3")
            .bind(at.as_microsecond())
            .bind(actor)
            .bind(merge_id)
            .execute(&mut *tx)
            .await?;
        audit_said(
            &mut tx,
            at,
            actor,
            "customer.unmerge",
            "customer",
            &s.to_string(),
            &format!("profile {a} split from {s} (merge {merge_id})"),
            &Said::new("audit-customer-unmerge")
                .number("absorbed", a as f64)
                .number("survivor", s as f64)
                .number("merge", merge_id as f64),
        )
        .await?;
        tx.commit().await?;
        Ok(MergeRecord {
            undone_at: Some(at),
            undone_by: Some(actor.to_owned()),
            ..merge.into_record()?
        })
    }
}

/// What an intake knows of the profiles its identifiers point at: loaded in one query per
/// few hundred identifiers, and kept up to date as the intake creates, joins and merges
/// profiles, so that a batch asks the database once rather than once per request.
#[derive(Default)]
pub(super) struct Identities {
    owner: HashMap<Identifier, Candidate>,
    /// Whether the profile has a name (a request may teach one to a profile without).
    named: HashMap<i64, bool>,
    /// Lifetime value and segments, for the priority.
    signals: HashMap<i64, (i64, Vec<String>)>,
    /// Profiles merged during the intake: absorbed → survivor.
    merged: HashMap<i64, i64>,
    /// Profiles created during the intake and not stored yet, by their placeholder id (below
    /// zero), with their names: stored together by [`Identities::store_new`].
    new_profiles: Vec<(i64, String)>,
    /// Identifiers learnt during the intake and not stored yet, with their profile.
    new_identifiers: Vec<(i64, Identifier)>,
}

impl Identities {
    pub(super) async fn load<'a>(
        conn: &mut Conn,
        identifiers: impl Iterator<Item = &'a Identifier>,
    ) -> Result<Identities> {
        let mut wanted: Vec<&Identifier> = identifiers.collect();
        wanted.sort();
        wanted.dedup();
        let mut identities = Identities::default();
        if wanted.is_empty() {
            return Ok(identities);
        }
        // One lookup per kind of identifier, so that the values come as plain strings.
        let mut by_kind: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
        for identifier in wanted {
            by_kind
                .entry(identifier.kind.as_str())
                .or_default()
                .push(serde_json::json!(identifier.value));
        }
        let mut rows: Vec<(String, String, i64, i64, String, i64, String)> = Vec::new();
        for (kind, values) in by_kind {
            let found: String = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT {} FROM customer_identifiers i JOIN customers c ON c.id = i.customer_id \
                 WHERE i.kind = $2 AND i.value IN (SELECT batch.value FROM {json_values})",
                json_table(
                    "i.kind, i.value, c.id, c.created_at, c.name, c.lifetime_value_cents, \
                     c.segments"
                ),
                json_values = Backend::JSON_VALUES,
            )))
            .bind(json_rows(values))
            .bind(kind)
            .fetch_one(&mut *conn)
            .await?;
            rows.extend(from_json_table::<(
                String,
                String,
                i64,
                i64,
                String,
                i64,
                String,
            )>("customer_identifiers", &found)?);
        }
        for (kind, value, id, created, name, ltv, segments) in rows {
            let Some(kind) = IdentifierKind::parse(&kind) else {
                return Err(corrupt("customer_identifiers", format!("kind {kind}")));
            };
            let segments: Vec<String> = serde_json::from_str(&segments)
                .map_err(|e| corrupt("customers", format!("segments: {e}")))?;
            identities.owner.insert(
                Identifier { kind, value },
                Candidate {
                    id,
                    created_at: instant("customers", created)?,
                },
            );
            identities.named.insert(id, !name.is_empty());
            identities.signals.insert(id, (ltv, segments));
        }
        Ok(identities)
    }

    /// Stores the profiles and identifiers the intake created since the last call, in one
    /// statement each, and returns the stored id of each placeholder.
    pub(super) async fn store_new(
        &mut self,
        conn: &mut Conn,
        at: Timestamp,
    ) -> Result<HashMap<i64, i64>> {
        let mut stored = HashMap::new();
        if !self.new_profiles.is_empty() {
            let blank = CustomerFields::default();
            let batch = json_rows(
                self.new_profiles
                    .iter()
                    .map(|(_, name)| serde_json::json!([name]))
                    .collect(),
            );
            let query = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO customers (name, salutation, language, preferred_channel, \
                 segments, attributes, consent, lifetime_value_cents, merged_into, created_at, \
                 updated_at) SELECT batch.value ->> 0, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9 \
                 FROM {json_rows}{in_batch_order}{returning_id}",
                json_rows = Backend::JSON_ROWS,
                in_batch_order = Backend::IN_BATCH_ORDER,
                returning_id = Backend::RETURNING_ID
            )))
            .bind(batch)
            .bind(&blank.salutation)
            .bind(&blank.language)
            .bind(&blank.preferred_channel)
            .bind(json(&blank.segments)?)
            .bind(json(&blank.attributes)?)
            .bind(json(&blank.consent)?)
            .bind(blank.lifetime_value_cents)
            .bind(at.as_microsecond());
            let ids = Backend::inserted_ids(&mut *conn, query).await?;
            if ids.len() != self.new_profiles.len() {
                return Err(corrupt(
                    "customers",
                    "an INSERT returned another number of ids",
                ));
            }
            for ((placeholder, _), id) in self.new_profiles.drain(..).zip(ids) {
                stored.insert(placeholder, id);
            }
            let real = |id: i64| stored.get(&id).copied().unwrap_or(id);
            for owner in self.owner.values_mut() {
                owner.id = real(owner.id);
            }
            self.named = self.named.drain().map(|(id, v)| (real(id), v)).collect();
            self.signals = self.signals.drain().map(|(id, v)| (real(id), v)).collect();
            for (owner, _) in &mut self.new_identifiers {
                *owner = real(*owner);
            }
        }
        if !self.new_identifiers.is_empty() {
            let batch = json_rows(
                self.new_identifiers
                    .drain(..)
                    .map(|(id, i)| serde_json::json!([id, i.kind.as_str(), i.value]))
                    .collect(),
            );
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO customer_identifiers (customer_id, kind, value, created_at) \
                 SELECT CAST(batch.value ->> 0 AS BIGINT), batch.value ->> 1, \
                 batch.value ->> 2, $2 FROM {json_rows} WHERE true \
                 ON CONFLICT (kind, value) DO NOTHING",
                json_rows = Backend::JSON_ROWS
            )))
            .bind(batch)
            .bind(at.as_microsecond())
            .execute(&mut *conn)
            .await?;
        }
        Ok(stored)
    }

    /// Whether these identifiers point at more than one profile: storing them merges.
    pub(super) fn would_merge(&self, identifiers: &[Identifier]) -> bool {
        let mut owners = identifiers
            .iter()
            .filter_map(|i| self.owner.get(i).map(|c| c.id));
        owners
            .next()
            .is_some_and(|first| owners.any(|other| other != first))
    }

    /// The profiles the intake's identifiers point at, each once.
    pub(super) fn profiles(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.owner.values().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The profile `id` is now: itself, or the profile it was merged into during the intake.
    pub(super) fn current(&self, mut id: i64) -> i64 {
        while let Some(&into) = self.merged.get(&id) {
            id = into;
        }
        id
    }

    /// Lifetime value and segments of a profile the intake knows.
    pub(super) fn signals(&self, id: i64) -> Option<&(i64, Vec<String>)> {
        self.signals.get(&id)
    }
}

/// Like [`resolve_customer`], with what the intake knows of the profiles. A new profile gets
/// a placeholder id (below zero) and is stored, with the new identifiers, by
/// [`Identities::store_new`], which must run before a merge (a merge moves stored rows).
pub(super) async fn resolve_known(
    conn: &mut Conn,
    known: &mut Identities,
    name: &str,
    identifiers: &[Identifier],
    at: Timestamp,
    actor: &str,
) -> Result<(i64, bool)> {
    let found: Vec<Candidate> = identifiers
        .iter()
        .filter_map(|i| known.owner.get(i).cloned())
        .collect();
    let (id, created_at, created) = match identity::resolve(&found) {
        Resolution::New => {
            let id = -1 - i64::try_from(known.new_profiles.len()).unwrap_or(i64::MAX - 1);
            known.new_profiles.push((id, name.to_owned()));
            known.named.insert(id, !name.is_empty());
            known.signals.insert(id, (0, Vec::new()));
            (id, at, true)
        }
        Resolution::Existing(id) => {
            let created_at = found
                .iter()
                .find(|c| c.id == id)
                .map_or(at, |c| c.created_at);
            (id, created_at, false)
        }
        Resolution::Merge { survivor, absorbed } => {
            let created_at = found
                .iter()
                .find(|c| c.id == survivor)
                .map_or(at, |c| c.created_at);
            let shared = identifiers
                .iter()
                .map(|i| format!("{} {}", i.kind.as_str(), i.value))
                .collect::<Vec<_>>()
                .join(", ");
            for other in absorbed {
                absorb(conn, survivor, other, &shared, at, actor).await?;
                for owner in known.owner.values_mut() {
                    if owner.id == other {
                        owner.id = survivor;
                        owner.created_at = created_at;
                    }
                }
                let named = known.named.remove(&other).unwrap_or(false);
                *known.named.entry(survivor).or_insert(false) |= named;
                known.signals.remove(&other);
                known.merged.insert(other, survivor);
            }
            known
                .signals
                .insert(survivor, customer_signals(conn, survivor).await?);
            (survivor, created_at, false)
        }
    };
    for identifier in identifiers {
        if !known.owner.contains_key(identifier) {
            known.new_identifiers.push((id, identifier.clone()));
            known
                .owner
                .insert(identifier.clone(), Candidate { id, created_at });
        }
    }
    if !created && !name.is_empty() && known.named.get(&id) == Some(&false) {
        // A profile first known without a name learns it from the request.
        if let Some((_, pending)) = known.new_profiles.iter_mut().find(|(p, _)| *p == id) {
            name.clone_into(pending);
        } else {
            sqlx::query("UPDATE customers SET name = $1 WHERE id = $2 AND name = ''")
                .bind(name)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        known.named.insert(id, true);
    }
    Ok((id, created))
}
