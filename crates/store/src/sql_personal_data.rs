//! Data-protection requests in SQL, compiled once per backend like `sql.rs`: the registry of
//! every place that holds personal data, each with how to export and how to erase what it
//! holds about a person (DSGVO Art. 15 and 17), and the export and erasure over all of them.

use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use touchpoints_core::{Role, Subject};

use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_accounts::{keep_an_admin, revoke_tokens_of, user_by_name};
use super::sql_audit::audit;
use crate::{Erasure, PersonalData, Result, StoreError};

type Export<'a> = Pin<Box<dyn Future<Output = Result<serde_json::Value>> + Send + 'a>>;
type Erase<'a> = Pin<Box<dyn Future<Output = Result<u64>> + Send + 'a>>;

/// One place that holds personal data: how to export and how to erase what it holds about a
/// subject. Every table with personal data adds itself to [`PLACES`].
struct Place {
    name: &'static str,
    export: for<'a> fn(&'a mut Conn, &'a Subject) -> Export<'a>,
    erase: for<'a> fn(&'a mut Conn, &'a Subject, &'a str) -> Erase<'a>,
}

/// Staff actions are kept in the history and the audit log under a pseudonym after an
/// erasure, so the counts stay and the person is gone. The ':' is in no user name (see
/// `check_username`), so no account can be named like an erased one and inherit its past.
fn pseudonym(user_id: i64) -> String {
    format!("erased-user:{user_id}")
}

const PLACES: &[Place] = &[
    Place {
        name: "staff_account",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Staff(name) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                match user_by_name(conn, name).await {
                    Ok(user) => {
                        Ok(serde_json::to_value(user)
                            .map_err(|e| corrupt("users", e.to_string()))?)
                    }
                    Err(StoreError::NotFound { .. }) => Ok(serde_json::Value::Null),
                    Err(e) => Err(e),
                }
            })
        },
        erase: |conn, subject, actor| {
            Box::pin(async move {
                let Subject::Staff(name) = subject else {
                    return Ok(0);
                };
                let user = match user_by_name(conn, name).await {
                    Ok(user) => user,
                    Err(StoreError::NotFound { .. }) => return Ok(0),
                    Err(e) => return Err(e),
                };
                keep_an_admin(conn, &user, Role::Viewer, true).await?;
                // The tokens stay listed (under the pseudonym, below) but work no more.
                revoke_tokens_of(conn, &user.username, now(), actor, "creator erased").await?;
                let alias = pseudonym(user.id);
                // Sessions and login links go with the account (ON DELETE CASCADE).
                sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(user.id)
                    .execute(&mut *conn)
                    .await?;
                let mut changed = 1;
                for table_column in [
                    ("audit_log", "actor"),
                    ("touchpoint_history", "actor"),
                    ("api_tokens", "created_by"),
                    ("findings", "status_by"),
                    ("guideline", "updated_by"),
                    ("stories", "created_by"),
                ] {
                    let (table, column) = table_column;
                    changed += sqlx::query(sqlx::AssertSqlSafe(format!(
                        "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
                    )))
                    .bind(&alias)
                    .bind(&user.username)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                }
                // The audit log names accounts as their subject too.
                changed += sqlx::query(
                    "UPDATE audit_log SET entity_id = $1, summary = '' \
                     WHERE entity = 'user' AND entity_id = $2",
                )
                .bind(&alias)
                .bind(&user.username)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                Ok(changed)
            })
        },
    },
    Place {
        name: "activity",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Staff(name) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                let name = name.trim().to_lowercase();
                let audit_entries: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE actor = $1")
                        .bind(&name)
                        .fetch_one(&mut *conn)
                        .await?;
                let history_entries: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM touchpoint_history WHERE actor = $1")
                        .bind(&name)
                        .fetch_one(&mut *conn)
                        .await?;
                let tokens: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM api_tokens WHERE created_by = $1")
                        .bind(&name)
                        .fetch_all(&mut *conn)
                        .await?;
                if audit_entries == 0 && history_entries == 0 && tokens.is_empty() {
                    // Nothing held here: no place to report.
                    return Ok(serde_json::Value::Null);
                }
                Ok(serde_json::json!({
                    "audit_log_entries": audit_entries,
                    "touchpoint_changes": history_entries,
                    "api_tokens_created": tokens,
                }))
            })
        },
        // Anonymised together with the account, under the same pseudonym.
        erase: |_, _, _| Box::pin(async { Ok(0) }),
    },
    Place {
        name: "interactions",
        export: |conn, subject| {
            Box::pin(async move {
                let ids = customer_interactions(conn, subject).await?;
                if ids.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                let mut rows = Vec::with_capacity(ids.len());
                for id in ids {
                    let (channel, received_at, reply): (String, i64, String) = sqlx::query_as(
                        "SELECT channel, received_at, reply FROM interactions WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?;
                    rows.push(serde_json::json!({
                        "channel": channel,
                        "received_at": instant("interactions", received_at)?.to_string(),
                        "reply": reply,
                    }));
                }
                Ok(serde_json::Value::Array(rows))
            })
        },
        // The requests stay for the counts of the standards; who asked and what was
        // answered go.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let ids = customer_interactions(conn, subject).await?;
                for id in &ids {
                    sqlx::query(
                        "UPDATE interactions SET customer_name = NULL, reply = '' WHERE id = $1",
                    )
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                }
                Ok(u64::try_from(ids.len()).unwrap_or(u64::MAX))
            })
        },
    },
    // Before the profiles: the requests are found through them.
    Place {
        name: "customer_requests",
        export: |conn, subject| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                let requests = super::sql_requests::export_customer_requests(conn, &ids).await?;
                Ok(match requests.as_array() {
                    Some(list) if !list.is_empty() => requests,
                    _ => serde_json::Value::Null,
                })
            })
        },
        // The requests stay for the response-time statistics; who sent them and what they
        // and the agents said go.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                super::sql_requests::erase_customer_requests(conn, &ids).await
            })
        },
    },
    Place {
        name: "customer_profiles",
        export: |conn, subject| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                if ids.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                super::sql_customers::export_customers(conn, &ids).await
            })
        },
        erase: |conn, subject, _| {
            Box::pin(async move {
                let ids = super::sql_customers::subject_customers(conn, subject).await?;
                super::sql_customers::erase_customers(conn, &ids).await
            })
        },
    },
    Place {
        name: "survey_responses",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                let rows: Vec<(i64, String, i32, String, i64)> = sqlx::query_as(
                    "SELECT touchpoint_id, metric, score, comment, answered_at FROM responses \
                     WHERE customer_ref = $1 ORDER BY answered_at, id",
                )
                .bind(reference.trim())
                .fetch_all(&mut *conn)
                .await?;
                if rows.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                rows.into_iter()
                    .map(|(touchpoint_id, metric, score, comment, at)| {
                        Ok(serde_json::json!({
                            "touchpoint_id": touchpoint_id,
                            "metric": metric,
                            "score": score,
                            "comment": comment,
                            "answered_at": instant("responses", at)?.to_string(),
                        }))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // The scores stay, so the KPIs of the past do not change; who answered and what they
        // wrote go.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(0);
                };
                Ok(sqlx::query(
                    "UPDATE responses SET customer_ref = NULL, comment = '' WHERE customer_ref = $1",
                )
                .bind(reference.trim())
                .execute(&mut *conn)
                .await?
                .rows_affected())
            })
        },
    },
    Place {
        name: "customer_events",
        export: |conn, subject| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(serde_json::Value::Null);
                };
                let rows: Vec<(String, i64, i64)> = sqlx::query_as(
                    "SELECT kind, at, amount_cents FROM customer_events \
                     WHERE customer_ref = $1 ORDER BY at, id",
                )
                .bind(reference.trim())
                .fetch_all(&mut *conn)
                .await?;
                if rows.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                rows.into_iter()
                    .map(|(kind, at, amount_cents)| {
                        Ok(serde_json::json!({
                            "kind": kind,
                            "at": instant("customer_events", at)?.to_string(),
                            "amount_cents": amount_cents,
                        }))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // The events stay under a pseudonym, so that retention and revenue of the past keep
        // their counts and a recount of the roll-ups still sees one customer.
        erase: |conn, subject, _| {
            Box::pin(async move {
                let Subject::Customer(reference) = subject else {
                    return Ok(0);
                };
                let first: Option<i64> = sqlx::query_scalar(
                    "SELECT MIN(id) FROM customer_events WHERE customer_ref = $1",
                )
                .bind(reference.trim())
                .fetch_one(&mut *conn)
                .await?;
                let Some(first) = first else {
                    return Ok(0);
                };
                Ok(sqlx::query(
                    "UPDATE customer_events SET customer_ref = $1, external_id = NULL \
                     WHERE customer_ref = $2",
                )
                .bind(format!("erased-customer:{first}"))
                .bind(reference.trim())
                .execute(&mut *conn)
                .await?
                .rows_affected())
            })
        },
    },
];

/// The recorded interactions of a customer. Until customer profiles exist, a customer is
/// found by the name the interactions carry, compared without case.
async fn customer_interactions(conn: &mut Conn, subject: &Subject) -> Result<Vec<i64>> {
    let Subject::Customer(name) = subject else {
        return Ok(Vec::new());
    };
    let wanted = name.trim().to_lowercase();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, customer_name FROM interactions WHERE customer_name IS NOT NULL ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, n)| n.trim().to_lowercase() == wanted)
        .map(|(id, _)| id)
        .collect())
}

#[async_trait]
impl PersonalData for SqlStore {
    async fn export_personal_data(&self, subject: &Subject) -> Result<serde_json::Value> {
        let mut conn = self.pool.acquire().await?;
        let mut places = serde_json::Map::new();
        for place in PLACES {
            let value = (place.export)(&mut conn, subject).await?;
            if !value.is_null() {
                places.insert(place.name.to_owned(), value);
            }
        }
        Ok(serde_json::json!({
            "subject": subject,
            "exported_at": now().to_string(),
            "places": places,
        }))
    }

    async fn erase_personal_data(&self, subject: &Subject, actor: &str) -> Result<Erasure> {
        let at = now();
        let mut tx = self.begin().await?;
        let mut erasure = Erasure::default();
        for place in PLACES {
            let changed = (place.erase)(&mut tx, subject, actor).await?;
            erasure.places.push((place.name.to_owned(), changed));
        }
        let (kind, id) = match subject {
            Subject::Staff(name) => ("staff", name.as_str()),
            Subject::Customer(id) => ("customer", id.as_str()),
        };
        let total: u64 = erasure.places.iter().map(|(_, n)| n).sum();
        if total == 0 {
            // Nothing held about the subject (an unknown name, a mistyped one, a customer
            // while no place holds customer data): say so rather than report an erasure.
            return Err(StoreError::NotFound { entity: "person" });
        }
        // The entry names no person: the subject's identifier is what was erased.
        let summary = format!("{kind} subject; {total} records deleted or anonymised");
        audit(&mut tx, at, actor, "gdpr.erase", kind, "", &summary).await?;
        let _ = id;
        tx.commit().await?;
        Ok(erasure)
    }
}
