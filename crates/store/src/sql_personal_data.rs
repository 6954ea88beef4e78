//! Data-protection requests in SQL, compiled once per backend like `sql.rs`: the registry of
//! every place that holds personal data, each with how to export and how to erase what it
//! holds about a person (DSGVO Art. 15 and 17), and the export and erasure over all of them.
//!
//! A request names the person by one identifier; the places find them by every one. The
//! person is resolved once, before any place is read or changed: a staff member by user
//! name; a customer by any identifier (e-mail address, phone number, customer number, device
//! id, social handle) to the profiles that hold it and the profiles merged with them, and
//! from those to every identifier and name the profiles hold. Answers and customer events
//! carry a customer reference as it came in, interactions a name: each place looks for all
//! of them.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use touchpoints_core::audit::Said;
use touchpoints_core::customer::{Identifier, IdentifierKind};
use touchpoints_core::{Role, Subject};

use super::Backend;
use super::sql::{Conn, Db, SqlStore, corrupt, instant, now};
use super::sql_accounts::{Revocation, keep_an_admin, revoke_tokens_of, user_by_name};
use super::sql_audit::audit_said;
use super::sql_customers::lock_identities;
use super::sql_requests::QUEUE_INTERACTION;
use crate::dialect::Dialect;
use crate::{Erasure, PersonalData, Result, StoreError};

type Export<'a> = Pin<Box<dyn Future<Output = Result<serde_json::Value>> + Send + 'a>>;
type Erase<'a> = Pin<Box<dyn Future<Output = Result<u64>> + Send + 'a>>;

/// One place that holds personal data: how to export and how to erase what it holds about a
/// person. Every table with personal data adds itself to [`PLACES`].
struct Place {
    name: &'static str,
    export: for<'a> fn(&'a mut Conn, &'a Person) -> Export<'a>,
    erase: for<'a> fn(&'a mut Conn, &'a Person, &'a str) -> Erase<'a>,
}

/// The person a data-protection request is about, resolved before any place is read.
enum Person {
    /// A staff member, by user name.
    Staff(String),
    Customer(Customer),
}

/// A customer and everything that names them.
struct Customer {
    /// The subject as given, trimmed: also a customer reference or a name no profile holds.
    given: String,
    /// The profiles that hold an identifier the subject reads as, the profiles merged into
    /// them and the ones they were merged into.
    profiles: Vec<i64>,
    /// Every identifier of the profiles, and the subject read as an identifier of each kind.
    identifiers: HashSet<Identifier>,
    /// The subject and the profiles' names, folded: interactions name customers only so.
    names: HashSet<String>,
    /// The requests of the profiles, found before any place unlinks them.
    requests: Vec<i64>,
}

impl Customer {
    /// Whether a customer reference, stored as it came in (any spelling of any identifier),
    /// names this customer. References erased before name no one.
    fn is_referenced_by(&self, reference: &str) -> bool {
        let reference = reference.trim();
        if reference.is_empty() || reference.starts_with(ERASED_CUSTOMER) {
            return false;
        }
        reference == self.given
            || IdentifierKind::ALL.into_iter().any(|kind| {
                Identifier::parse(kind, reference).is_ok_and(|i| self.identifiers.contains(&i))
            })
    }

    /// Whether the customer name an interaction carries is this customer's name or one of
    /// their identifiers.
    fn is_named(&self, name: &str) -> bool {
        self.is_referenced_by(name) || self.names.contains(&fold(name))
    }
}

fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Staff actions are kept in the history and the audit log under a pseudonym after an
/// erasure, so the counts stay and the person is gone. The ':' is in no user name (see
/// `check_username`), so no account can be named like an erased one and inherit its past.
fn pseudonym(user_id: i64) -> String {
    format!("erased-user:{user_id}")
}

/// What an erased customer's events are kept under, followed by the id of the first event
/// of the reference it replaces.
const ERASED_CUSTOMER: &str = "erased-customer:";

/// Resolves the subject of a request. A customer is found by any identifier the subject
/// reads as; merged profiles are one person, so the profiles merged into a found one, and the
/// one it was merged into, belong to the person too.
async fn resolve(conn: &mut Conn, subject: &Subject) -> Result<Person> {
    let given = match subject {
        Subject::Staff(name) => return Ok(Person::Staff(name.clone())),
        Subject::Customer(given) => given.trim().to_owned(),
    };
    let mut identifiers: HashSet<Identifier> = IdentifierKind::ALL
        .into_iter()
        .filter_map(|kind| Identifier::parse(kind, &given).ok())
        .collect();
    let mut profiles: Vec<i64> = Vec::new();
    for identifier in &identifiers {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT customer_id FROM customer_identifiers WHERE kind = $1 AND value = $2",
        )
        .bind(identifier.kind.as_str())
        .bind(&identifier.value)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(id) = found.filter(|id| !profiles.contains(id)) {
            profiles.push(id);
        }
    }
    let mut i = 0;
    while i < profiles.len() {
        let related: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM customers WHERE merged_into = $1 \
             UNION SELECT merged_into FROM customers WHERE id = $1 AND merged_into IS NOT NULL",
        )
        .bind(profiles[i])
        .fetch_all(&mut *conn)
        .await?;
        for id in related {
            if !profiles.contains(&id) {
                profiles.push(id);
            }
        }
        i += 1;
    }
    profiles.sort_unstable();
    let mut names: HashSet<String> = HashSet::new();
    if !given.is_empty() {
        names.insert(fold(&given));
    }
    let mut requests = Vec::new();
    for id in &profiles {
        let held: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, value FROM customer_identifiers WHERE customer_id = $1")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
        for (kind, value) in held {
            let kind = IdentifierKind::parse(&kind)
                .ok_or_else(|| corrupt("customer_identifiers", format!("kind {kind}")))?;
            identifiers.insert(Identifier { kind, value });
        }
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(name) = name.map(|n| fold(&n)).filter(|n| !n.is_empty()) {
            names.insert(name);
        }
        requests.extend(
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM requests WHERE customer_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?,
        );
    }
    Ok(Person::Customer(Customer {
        given,
        profiles,
        identifiers,
        names,
        requests,
    }))
}

/// The distinct customer references of a table (`responses`, `customer_events`) that name
/// the customer. References are stored as they came in, so they are read and compared in
/// Rust, as identifiers of every kind; the scan reads the table's index of references.
async fn references(conn: &mut Conn, customer: &Customer, table: &str) -> Result<Vec<String>> {
    let all: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT customer_ref FROM {table} WHERE customer_ref IS NOT NULL"
    )))
    .fetch_all(&mut *conn)
    .await?;
    Ok(all
        .into_iter()
        .filter(|r| customer.is_referenced_by(r))
        .collect())
}

/// The recorded interactions that name the customer (by a name of theirs or an identifier,
/// compared without case), and those the queue keeps of the customer's requests
/// (`queue:<request id>`, whatever name the request came with).
async fn customer_interactions(conn: &mut Conn, customer: &Customer) -> Result<Vec<i64>> {
    let queued: HashSet<String> = customer
        .requests
        .iter()
        .map(|id| format!("{QUEUE_INTERACTION}{id}"))
        .collect();
    let rows: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, customer_name, external_id FROM interactions \
         WHERE customer_name IS NOT NULL OR external_id LIKE $1 ORDER BY id",
    )
    .bind(format!("{QUEUE_INTERACTION}%"))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, name, external)| {
            name.as_deref().is_some_and(|n| customer.is_named(n))
                || external.as_ref().is_some_and(|e| queued.contains(e))
        })
        .map(|(id, _, _)| id)
        .collect())
}

/// The audit entries that say something about the customer: the changes of their profiles
/// (whose summaries name them, or the identifiers a merge shared), the merges and unmerges
/// of those profiles recorded under another profile, and the steps taken on their requests
/// (whose summaries are the requests' subjects). Only entries with a summary left count.
async fn customer_audit_entries(
    conn: &mut Conn,
    customer: &Customer,
) -> Result<Vec<(i64, i64, String, String)>> {
    let mut entries: Vec<(i64, i64, String, String)> = Vec::new();
    for id in &customer.profiles {
        entries.extend(
            sqlx::query_as::<_, (i64, i64, String, String)>(
                "SELECT id, at, action, summary FROM audit_log \
                 WHERE entity = 'customer' AND entity_id = $1 AND summary <> ''",
            )
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await?,
        );
    }
    let merges: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT id, at, action, summary FROM audit_log WHERE entity = 'customer' \
         AND action IN ('customer.merge', 'customer.unmerge') AND summary <> ''",
    )
    .fetch_all(&mut *conn)
    .await?;
    for entry in merges {
        let names_one = merged_profiles(&entry.3)
            .is_some_and(|(a, b)| customer.profiles.contains(&a) || customer.profiles.contains(&b));
        if names_one && !entries.iter().any(|e| e.0 == entry.0) {
            entries.push(entry);
        }
    }
    for id in &customer.requests {
        entries.extend(
            sqlx::query_as::<_, (i64, i64, String, String)>(
                "SELECT id, at, action, summary FROM audit_log \
                 WHERE entity = 'request' AND entity_id = $1 AND summary <> ''",
            )
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await?,
        );
    }
    entries.sort_unstable_by_key(|e| e.0);
    Ok(entries)
}

/// The two profiles a merge's or an unmerge's summary names: "profile A merged into S (…)",
/// "profile A split from S (…)".
fn merged_profiles(summary: &str) -> Option<(i64, i64)> {
    let rest = summary.strip_prefix("profile ")?;
    let (a, rest) = rest.split_once(' ')?;
    let rest = rest
        .strip_prefix("merged into ")
        .or_else(|| rest.strip_prefix("split from "))?;
    let s = rest.split(' ').next()?;
    Some((a.parse().ok()?, s.parse().ok()?))
}

const PLACES: &[Place] = &[
    Place {
        name: "staff_account",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Staff(name) = person else {
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
        erase: |conn, person, actor| {
            Box::pin(async move {
                let Person::Staff(name) = person else {
                    return Ok(0);
                };
                let user = match user_by_name(conn, name).await {
                    Ok(user) => user,
                    Err(StoreError::NotFound { .. }) => return Ok(0),
                    Err(e) => return Err(e),
                };
                keep_an_admin(conn, &user, Role::Viewer, true).await?;
                // The tokens stay listed (under the pseudonym, below) but work no more.
                revoke_tokens_of(conn, &user.username, now(), actor, Revocation::Erased).await?;
                let alias = pseudonym(user.id);
                // Sessions and login links go with the account (ON DELETE CASCADE).
                sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(user.id)
                    .execute(&mut *conn)
                    .await?;
                let mut changed = 1;
                for (table, column) in STAFF_COLUMNS {
                    changed += sqlx::query(sqlx::AssertSqlSafe(format!(
                        "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
                    )))
                    .bind(&alias)
                    .bind(&user.username)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                }
                // The audit log names accounts as their subject too, and a request's step of
                // assignment the person it was assigned to.
                changed += sqlx::query(
                    "UPDATE audit_log SET entity_id = $1, summary = '' \
                     WHERE entity = 'user' AND entity_id = $2",
                )
                .bind(&alias)
                .bind(&user.username)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                changed += sqlx::query(
                    "UPDATE request_messages SET body = $1 WHERE kind = 'assign' AND body = $2",
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
        export: |conn, person| {
            Box::pin(async move {
                let Person::Staff(name) = person else {
                    return Ok(serde_json::Value::Null);
                };
                let name = name.trim().to_lowercase();
                let mut counts = [0; 4];
                for (count, (table, column)) in counts.iter_mut().zip([
                    ("audit_log", "actor"),
                    ("touchpoint_history", "actor"),
                    ("request_messages", "author"),
                    ("requests", "assignee"),
                ]) {
                    *count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                        "SELECT COUNT(*) FROM {table} WHERE {column} = $1"
                    )))
                    .bind(&name)
                    .fetch_one(&mut *conn)
                    .await?;
                }
                let [
                    audit_entries,
                    history_entries,
                    request_steps,
                    requests_assigned,
                ] = counts;
                let tokens: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM api_tokens WHERE created_by = $1")
                        .bind(&name)
                        .fetch_all(&mut *conn)
                        .await?;
                if audit_entries == 0
                    && history_entries == 0
                    && request_steps == 0
                    && requests_assigned == 0
                    && tokens.is_empty()
                {
                    // Nothing held here: no place to report.
                    return Ok(serde_json::Value::Null);
                }
                Ok(serde_json::json!({
                    "audit_log_entries": audit_entries,
                    "touchpoint_changes": history_entries,
                    "request_steps": request_steps,
                    "requests_assigned": requests_assigned,
                    "api_tokens_created": tokens,
                }))
            })
        },
        // Anonymised together with the account, under the same pseudonym.
        erase: |_, _, _| Box::pin(async { Ok(0) }),
    },
    Place {
        name: "interactions",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                let ids = customer_interactions(conn, customer).await?;
                if ids.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                let mut rows = Vec::with_capacity(ids.len());
                for id in ids {
                    let (channel, customer_name, received_at, reply): (
                        String,
                        Option<String>,
                        i64,
                        String,
                    ) = sqlx::query_as(
                        "SELECT channel, customer_name, received_at, reply FROM interactions \
                         WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?;
                    rows.push(serde_json::json!({
                        "channel": channel,
                        "customer_name": customer_name,
                        "received_at": instant("interactions", received_at)?.to_string(),
                        "reply": reply,
                    }));
                }
                Ok(serde_json::Value::Array(rows))
            })
        },
        // The requests stay for the counts of the standards; who asked and what was
        // answered go.
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                let ids = customer_interactions(conn, customer).await?;
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
    Place {
        name: "audit_log",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                let entries = customer_audit_entries(conn, customer).await?;
                if entries.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                entries
                    .into_iter()
                    .map(|(_, at, action, summary)| {
                        Ok(serde_json::json!({
                            "at": instant("audit_log", at)?.to_string(),
                            "action": action,
                            "summary": summary,
                        }))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // The entries stay, as every entry of the log does; what they said about the
        // customer goes.
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                let entries = customer_audit_entries(conn, customer).await?;
                for (id, ..) in &entries {
                    sqlx::query("UPDATE audit_log SET summary = '' WHERE id = $1")
                        .bind(id)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(u64::try_from(entries.len()).unwrap_or(u64::MAX))
            })
        },
    },
    // The chats the customer's requests came from: the whole transcript, the bot's answers
    // included, is the customer's conversation.
    Place {
        name: "chat_transcripts",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                super::sql_chats::export_transcripts(conn, &customer.requests).await
            })
        },
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                super::sql_chats::erase_transcripts(conn, &customer.requests).await
            })
        },
    },
    // Before the profiles: the campaigns' mails are found through them.
    Place {
        name: "campaign_mails",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                super::sql_campaigns::export_campaign_mails(conn, &customer.profiles).await
            })
        },
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                super::sql_campaigns::erase_campaign_mails(conn, &customer.profiles).await
            })
        },
    },
    // Before the profiles: the requests are found through them, and deleting a profile
    // unlinks its requests.
    Place {
        name: "customer_requests",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                let requests =
                    super::sql_requests::export_customer_requests(conn, &customer.profiles).await?;
                Ok(match requests.as_array() {
                    Some(list) if !list.is_empty() => requests,
                    _ => serde_json::Value::Null,
                })
            })
        },
        // The requests stay for the response-time statistics; who sent them and what they
        // and the agents said go.
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                super::sql_requests::erase_customer_requests(conn, &customer.profiles).await
            })
        },
    },
    Place {
        name: "customer_merges",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                let mut rows = Vec::new();
                for id in &customer.profiles {
                    let merges: Vec<(i64, i64, i64, String, i64, Option<i64>)> = sqlx::query_as(
                        "SELECT id, survivor_id, absorbed_id, reason, at, undone_at \
                         FROM customer_merges WHERE survivor_id = $1 OR absorbed_id = $1",
                    )
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?;
                    for merge in merges {
                        if !rows
                            .iter()
                            .any(|r: &(i64, i64, i64, String, i64, Option<i64>)| r.0 == merge.0)
                        {
                            rows.push(merge);
                        }
                    }
                }
                if rows.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                rows.sort_unstable_by_key(|r| r.0);
                // Without the snapshots: a merge undone joined two people, and its snapshot
                // holds the other one's profile too.
                rows.into_iter()
                    .map(|(_, survivor, absorbed, reason, at, undone_at)| {
                        Ok(serde_json::json!({
                            "survivor_id": survivor,
                            "absorbed_id": absorbed,
                            "reason": reason,
                            "at": instant("customer_merges", at)?.to_string(),
                            "undone_at": undone_at
                                .map(|at| instant("customer_merges", at))
                                .transpose()?
                                .map(|at| at.to_string()),
                        }))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // Deleted with the profiles: their snapshots hold the profiles as they were.
        erase: |_, _, _| Box::pin(async { Ok(0) }),
    },
    Place {
        name: "customer_profiles",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                if customer.profiles.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                super::sql_customers::export_customers(conn, &customer.profiles).await
            })
        },
        // The profiles go with their identifiers and merge records.
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                super::sql_customers::erase_customers(conn, &customer.profiles).await
            })
        },
    },
    Place {
        name: "survey_responses",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                let mut rows: Vec<(i64, String, i64, String, i32, String, i64)> = Vec::new();
                for reference in references(conn, customer, "responses").await? {
                    rows.extend(
                        sqlx::query_as::<_, (i64, String, i64, String, i32, String, i64)>(
                            "SELECT id, customer_ref, touchpoint_id, metric, score, comment, \
                             answered_at FROM responses WHERE customer_ref = $1",
                        )
                        .bind(&reference)
                        .fetch_all(&mut *conn)
                        .await?,
                    );
                }
                if rows.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                rows.sort_unstable_by_key(|r| (r.6, r.0));
                rows.into_iter()
                    .map(
                        |(_, reference, touchpoint_id, metric, score, comment, at)| {
                            Ok(serde_json::json!({
                                "customer_ref": reference,
                                "touchpoint_id": touchpoint_id,
                                "metric": metric,
                                "score": score,
                                "comment": comment,
                                "answered_at": instant("responses", at)?.to_string(),
                            }))
                        },
                    )
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // Anonymised, not deleted: the scores stay, so the roll-ups that count them (and
        // the NPS, CSAT and CES of the past) do not change and need no recount; who
        // answered and what they wrote go.
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                let mut changed = 0;
                for reference in references(conn, customer, "responses").await? {
                    changed += sqlx::query(
                        "UPDATE responses SET customer_ref = NULL, comment = '' \
                         WHERE customer_ref = $1",
                    )
                    .bind(&reference)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                }
                Ok(changed)
            })
        },
    },
    Place {
        name: "customer_events",
        export: |conn, person| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(serde_json::Value::Null);
                };
                let mut rows: Vec<(i64, String, String, i64, i64)> = Vec::new();
                for reference in references(conn, customer, "customer_events").await? {
                    rows.extend(
                        sqlx::query_as::<_, (i64, String, String, i64, i64)>(
                            "SELECT id, customer_ref, kind, at, amount_cents \
                             FROM customer_events WHERE customer_ref = $1",
                        )
                        .bind(&reference)
                        .fetch_all(&mut *conn)
                        .await?,
                    );
                }
                if rows.is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                rows.sort_unstable_by_key(|r| (r.3, r.0));
                rows.into_iter()
                    .map(|(_, reference, kind, at, amount_cents)| {
                        Ok(serde_json::json!({
                            "customer_ref": reference,
                            "kind": kind,
                            "at": instant("customer_events", at)?.to_string(),
                            "amount_cents": amount_cents,
                        }))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(serde_json::Value::Array)
            })
        },
        // Anonymised, not deleted: the events stay under a pseudonym, one per reference
        // they were stored under, so that customers gained and lost and the revenue of the
        // past keep their counts, and a recount of the roll-ups still sees as many customers
        // as before.
        erase: |conn, person, _| {
            Box::pin(async move {
                let Person::Customer(customer) = person else {
                    return Ok(0);
                };
                let mut changed = 0;
                for reference in references(conn, customer, "customer_events").await? {
                    let first: Option<i64> = sqlx::query_scalar(
                        "SELECT MIN(id) FROM customer_events WHERE customer_ref = $1",
                    )
                    .bind(&reference)
                    .fetch_one(&mut *conn)
                    .await?;
                    let Some(first) = first else {
                        continue;
                    };
                    changed += sqlx::query(
                        "UPDATE customer_events SET customer_ref = $1, external_id = NULL \
                         WHERE customer_ref = $2",
                    )
                    .bind(format!("{ERASED_CUSTOMER}{first}"))
                    .bind(&reference)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                }
                Ok(changed)
            })
        },
    },
];

/// The columns that name staff members by user name, kept under the pseudonym after an
/// erasure.
const STAFF_COLUMNS: [(&str, &str); 14] = [
    ("audit_log", "actor"),
    ("action_status_history", "actor"),
    ("touchpoint_history", "actor"),
    ("api_tokens", "created_by"),
    ("findings", "status_by"),
    ("guideline", "updated_by"),
    ("stories", "created_by"),
    ("requests", "assignee"),
    ("request_messages", "author"),
    ("customer_merges", "actor"),
    ("customer_merges", "undone_by"),
    ("queue_settings", "updated_by"),
    ("programmes", "started_by"),
    ("programme_ticks", "done_by"),
];

#[async_trait]
impl PersonalData for SqlStore {
    async fn export_personal_data(&self, subject: &Subject) -> Result<serde_json::Value> {
        // One snapshot, so that the places agree about the person.
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let person = resolve(&mut tx, subject).await?;
        let mut places = serde_json::Map::new();
        for place in PLACES {
            let value = (place.export)(&mut tx, &person).await?;
            if !value.is_null() {
                places.insert(place.name.to_owned(), value);
            }
        }
        tx.commit().await?;
        Ok(serde_json::json!({
            "subject": subject,
            "exported_at": now().to_string(),
            "places": places,
        }))
    }

    async fn erase_personal_data(&self, subject: &Subject, actor: &str) -> Result<Erasure> {
        let at = now();
        let mut tx = self.begin().await?;
        // No request joins a profile while it is being erased.
        lock_identities(&mut tx).await?;
        let person = resolve(&mut tx, subject).await?;
        let mut erasure = Erasure::default();
        for place in PLACES {
            let changed = (place.erase)(&mut tx, &person, actor).await?;
            erasure.places.push((place.name.to_owned(), changed));
        }
        let kind = match subject {
            Subject::Staff(_) => "staff",
            Subject::Customer(_) => "customer",
        };
        let total: u64 = erasure.places.iter().map(|(_, n)| n).sum();
        if total == 0 {
            // Nothing held about the subject (an unknown name, a mistyped one, a customer
            // while no place holds customer data): say so rather than report an erasure.
            return Err(StoreError::NotFound { entity: "person" });
        }
        // The entry names no person: the subject's identifier is what was erased.
        let summary = format!("{kind} subject; {total} records deleted or anonymised");
        audit_said(
            &mut tx,
            at,
            actor,
            "gdpr.erase",
            kind,
            "",
            &summary,
            &Said::new(if kind == "staff" {
                "audit-erased-staff"
            } else {
                "audit-erased-customer"
            })
            .number("count", total as f64),
        )
        .await?;
        tx.commit().await?;
        // An erased staff member's tokens were revoked with it.
        self.remembered.tokens.forget_all();
        if let Some(sql) = Backend::AFTER_ERASURE {
            clean_files_after_erasure(&self.writes, sql).await;
        }
        Ok(erasure)
    }
}

/// Runs the backend's clean-up after an erasure. It reports "busy" while another
/// checkpoint runs (SQLite's once-a-second passive one holds the checkpoint lock without
/// invoking a busy handler), so a busy answer is retried for up to two seconds. The erasure
/// holds either way: what still keeps this from finishing (readers of the old pages, say)
/// is logged rather than reported as a failed erasure.
async fn clean_files_after_erasure(pool: &sqlx::Pool<Db>, sql: &'static str) {
    const TRIES: u32 = 40;
    for _ in 0..TRIES {
        match sqlx::query_scalar::<_, i64>(sql).fetch_optional(pool).await {
            Ok(None | Some(0)) => return,
            Ok(Some(_)) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            Err(e) => {
                tracing::warn!(error = %e, "cleaning up the files after an erasure failed");
                return;
            }
        }
    }
    tracing::warn!(
        "the files keep pages from before an erasure until the next checkpoint: readers held them"
    );
}
