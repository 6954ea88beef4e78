//! Intake in SQL, compiled once per backend like `sql.rs`: a whole batch of requests in one
//! transaction (group commit). Its lookups (stored external ids, known identifiers, recent
//! contacts) bind one JSON array each, new profiles and identifiers go in with one statement
//! each, and the requests as multi-row VALUES of a fixed size, each planned (due times, rank
//! key) as it is written.

use std::collections::HashMap;

use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use touchpoints_core::audit::Said;
use touchpoints_core::request::{NewRequest, Priority, RequestStatus, SentContent};
use touchpoints_core::webhook::Event;
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::{
    Conn, GroupWrite, SqlStore, corrupt, from_json_table, instant, json_rows, json_table, now,
    values,
};
use super::sql_audit::audit_said;
use super::sql_customers::{Identities, customer_signals, lock_identities, resolve_known};
use super::sql_requests::{
    REQUEST_COLUMNS, RequestRow, micros, policies_column, rules_from, settings_column,
};
use super::sql_webhooks::{emit, subscribers_column, subscribers_from};
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::plan::{Facts, Plan, plan};
use crate::{IntakeOutcome, Result, StoreError};

/// One caller's intake: its requests, all or none, and who sent them.
pub(super) struct IntakePart {
    requests: Vec<NewRequest>,
    actor: String,
}

/// Stores one caller's requests all or none, in the next group commit.
pub(super) async fn intake(
    store: &SqlStore,
    requests: &[NewRequest],
    actor: &str,
) -> Result<Vec<IntakeOutcome>> {
    let part = IntakePart {
        requests: requests.to_vec(),
        actor: actor.to_owned(),
    };
    store.group_write(&store.queues.intakes, part).await
}

impl GroupWrite for IntakePart {
    type Output = Vec<IntakeOutcome>;

    fn items(&self) -> usize {
        self.requests.len()
    }

    async fn write_in(&self, conn: &mut Conn) -> Result<Vec<IntakeOutcome>> {
        intake_in(conn, &self.requests, &self.actor).await
    }

    /// One intake per writer, of all its parts together: the lookups and inserts of a batch
    /// cost about what one request's do, and the audit log names each writer with what it
    /// sent.
    async fn write_all_in(
        parts: &[IntakePart],
        conn: &mut Conn,
    ) -> Result<Vec<Vec<IntakeOutcome>>> {
        let mut outcomes = vec![Vec::new(); parts.len()];
        let mut actors: Vec<&str> = Vec::new();
        for part in parts {
            if !actors.contains(&part.actor.as_str()) {
                actors.push(&part.actor);
            }
        }
        for actor in actors {
            let theirs: Vec<usize> = (0..parts.len())
                .filter(|&i| parts[i].actor == actor)
                .collect();
            let requests: Vec<NewRequest> = theirs
                .iter()
                .flat_map(|&i| parts[i].requests.iter().cloned())
                .collect();
            let mut stored = intake_in(conn, &requests, actor).await?.into_iter();
            for i in theirs {
                outcomes[i] = stored.by_ref().take(parts[i].requests.len()).collect();
            }
        }
        Ok(outcomes)
    }
}

/// Stores requests in the transaction `tx`, all or none, with one audit entry.
pub(super) async fn intake_in(
    tx: &mut Conn,
    requests: &[NewRequest],
    actor: &str,
) -> Result<Vec<IntakeOutcome>> {
    lock_identities(tx).await?;
    let at = now();
    // What planning and routing a request and announcing it depend on, in one statement:
    // each statement is a hand-off to SQLite's thread and back, a dozen per group.
    let (settings, policies, mappings, subscribers): (String, String, String, String) =
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {}, {}, (SELECT {} FROM request_sources), {}",
            settings_column(),
            policies_column(),
            json_table("channel, source, touchpoint_id"),
            subscribers_column()
        )))
        .fetch_one(&mut *tx)
        .await?;
    let rules = rules_from(&settings, &policies)?;
    let subscribers = subscribers_from(&subscribers)?;
    let mappings: HashMap<(String, String), i64> =
        from_json_table::<(String, String, i64)>("request_sources", &mappings)?
            .into_iter()
            .map(|(c, s, t)| ((c, s), t))
            .collect();
    let stored_external =
        stored_by_external_id(tx, requests.iter().filter_map(|r| r.external_id.as_deref())).await?;
    let mut known_touchpoints: HashMap<i64, bool> = HashMap::new();
    let mut invalid = Problems::default();
    let mut conflicts = Problems::default();
    // Index in the batch → what a retry found.
    let mut outcomes: Vec<Option<IntakeOutcome>> = vec![None; requests.len()];
    let mut batch_ids: HashMap<&str, usize> = HashMap::new();
    for (i, r) in requests.iter().enumerate() {
        if let Some(tp) = r.touchpoint_id {
            let exists = match known_touchpoints.get(&tp) {
                Some(e) => *e,
                None => {
                    let found: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM touchpoints WHERE id = $1")
                            .bind(tp)
                            .fetch_optional(&mut *tx)
                            .await?;
                    known_touchpoints.insert(tp, found.is_some());
                    found.is_some()
                }
            };
            if !exists {
                invalid.push(
                    format!("[{i}].touchpoint_id"),
                    Problem::Invalid {
                        reason: format!("no touchpoint has the id {tp}"),
                    },
                );
            }
        }
        let Some(external) = r.external_id.as_deref() else {
            continue;
        };
        if let Some(&first) = batch_ids.get(external) {
            let earlier = &requests[first];
            let sent = SentContent {
                channel: &earlier.channel,
                touchpoint_id: earlier.touchpoint_id,
                source: &earlier.source,
                subject: &earlier.subject,
                body: &earlier.body,
                received_at: earlier.received_at.unwrap_or(at),
                language: &earlier.language,
                priority: earlier.priority,
            };
            if let Some(field) = r.differs_from(&sent) {
                conflicts.0.extend(
                    conflict(
                        format!("[{i}].{field}"),
                        "external-id-reused",
                        format!("differs from request [{first}] with the same external_id"),
                    )
                    .0,
                );
            }
            continue;
        }
        batch_ids.insert(external, i);
        if let Some(stored) = stored_external.get(external) {
            let priority = Priority::parse(&stored.priority).unwrap_or_default();
            let sent = SentContent {
                channel: &stored.channel,
                touchpoint_id: stored.touchpoint_id,
                source: &stored.source,
                subject: &stored.subject,
                body: &stored.body,
                received_at: instant("requests", stored.received_at)?,
                language: &stored.language,
                priority,
            };
            match r.differs_from(&sent) {
                None => {
                    outcomes[i] = Some(IntakeOutcome {
                        id: stored.id,
                        customer_id: stored.customer_id,
                        created: false,
                    });
                }
                Some(field) => conflicts.0.extend(
                    conflict(
                        format!("[{i}].{field}"),
                        "external-id-reused",
                        format!(
                            "differs from request {} stored under the external_id \"{external}\"",
                            stored.id
                        ),
                    )
                    .0,
                ),
            }
        }
    }
    if !invalid.is_empty() {
        return Err(StoreError::Invalid(invalid));
    }
    if !conflicts.is_empty() {
        return Err(StoreError::Conflict(conflicts));
    }
    let mut known = Identities::load(
        tx,
        requests
            .iter()
            .enumerate()
            .filter(|(i, _)| outcomes[*i].is_none())
            .flat_map(|(_, r)| r.identifiers.iter()),
    )
    .await?;
    // The known profiles' contacts in the seven days before the batch, in one query per
    // few hundred profiles (an import of the past counts from its earliest request).
    let earliest = requests
        .iter()
        .map(|r| received_of(r, at))
        .min()
        .unwrap_or(at);
    let mut contacts = recent_contacts(
        tx,
        &known.profiles(),
        earliest
            .checked_sub(jiff::SignedDuration::from_hours(7 * 24))
            .unwrap_or(Timestamp::UNIX_EPOCH),
    )
    .await?;
    let mut rows: Vec<Pending> = Vec::new();
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    // The events of the requests created, announced once all are stored.
    let mut created: Vec<Event> = Vec::new();
    let (mut retried, mut profiles) = (0u64, 0u64);
    for (i, r) in requests.iter().enumerate() {
        if outcomes[i].is_some() {
            retried += 1;
            continue;
        }
        if let Some(external) = r.external_id.as_deref()
            && let Some(&first) = batch_ids.get(external)
            && first != i
        {
            // A repeat within the batch: the first one's outcome, once it is stored.
            repeats.push((i, first));
            retried += 1;
            continue;
        }
        let merging = known.would_merge(&r.identifiers);
        if merging {
            // A merge moves the absorbed profile's requests and records which: those of
            // this batch must be stored first, so that an unmerge restores them too.
            created.extend(
                flush(
                    tx,
                    &mut known,
                    &mut contacts,
                    &mut rows,
                    requests,
                    &mut outcomes,
                    at,
                )
                .await?,
            );
        }
        let (customer, new_profile) =
            resolve_known(tx, &mut known, &r.customer_name, &r.identifiers, at, actor).await?;
        if new_profile {
            profiles += 1;
        }
        if merging {
            // The merged profiles' contacts are the survivor's now.
            let absorbed: Vec<i64> = contacts
                .keys()
                .copied()
                .filter(|id| known.current(*id) != *id)
                .collect();
            for id in absorbed {
                let count = contacts.remove(&id).unwrap_or(0);
                *contacts.entry(known.current(id)).or_insert(0) += count;
            }
        }
        let earlier = contacts.get(&customer).copied().unwrap_or(0);
        contacts.insert(customer, earlier + 1);
        let (ltv, segments) = match known.signals(customer) {
            Some(s) => s.clone(),
            None => customer_signals(tx, customer).await?,
        };
        let touchpoint = r.touchpoint_id.or_else(|| {
            mappings
                .get(&(r.channel.clone(), r.source.clone()))
                .copied()
        });
        let received = r.received_at.unwrap_or(at);
        let status = if r.resolved_at.is_some() {
            RequestStatus::Resolved
        } else {
            RequestStatus::Open
        };
        let plan = plan(
            &rules,
            &Facts {
                channel: &r.channel,
                priority: r.priority,
                status,
                received_at: received,
                first_response_at: r.first_response_at,
                pauses: &[],
                lifetime_value_cents: ltv,
                segments: &segments,
                subject: &r.subject,
                body: &r.body,
                language: &r.language,
                earlier_contacts: earlier,
            },
        );
        rows.push(Pending {
            index: i,
            customer,
            touchpoint,
            received,
            status,
            plan,
            earlier,
        });
    }
    created.extend(
        flush(
            tx,
            &mut known,
            &mut contacts,
            &mut rows,
            requests,
            &mut outcomes,
            at,
        )
        .await?,
    );
    emit(tx, &subscribers, &created, at).await?;
    let created = created.len();
    for (i, first) in repeats {
        outcomes[i] = outcomes[first].map(|o| IntakeOutcome {
            created: false,
            ..o
        });
    }
    // A profile merged later in the batch is reported as the one it became.
    for outcome in outcomes.iter_mut().flatten() {
        outcome.customer_id = outcome.customer_id.map(|c| known.current(c));
    }
    let summary = format!(
        "{} requests ({created} created, {retried} already stored, {profiles} new profiles)",
        requests.len()
    );
    audit_said(
        tx,
        at,
        actor,
        "requests.intake",
        "request",
        "",
        &summary,
        &Said::new("audit-requests-intake")
            .number("count", requests.len() as f64)
            .number("created", created as f64)
            .number("retried", retried as f64)
            .number("profiles", profiles as f64),
    )
    .await?;
    outcomes
        .into_iter()
        .map(|o| o.ok_or_else(|| corrupt("requests", "a request of the batch was not stored")))
        .collect()
}

/// The stored requests with these external ids, by external id, in one query.
async fn stored_by_external_id<'a>(
    conn: &mut Conn,
    ids: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, RequestRow>> {
    let mut wanted: Vec<&str> = ids.collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let batch = json_rows(wanted.iter().map(|id| serde_json::json!(id)).collect());
    let rows: Vec<RequestRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE external_id IN \
         (SELECT batch.value FROM {json_values})",
        json_values = Backend::JSON_VALUES
    )))
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| Some((row.external_id.clone()?, row)))
        .collect())
}

/// A request of an intake, resolved and planned, waiting for its multi-row INSERT.
struct Pending {
    /// Its place in the batch.
    index: usize,
    customer: i64,
    touchpoint: Option<i64>,
    received: Timestamp,
    status: RequestStatus,
    plan: Plan,
    earlier: i64,
}

/// Requests per INSERT: a statement of this size is prepared once per connection and reused.
const ROWS_PER_INSERT: usize = 250;

/// Inserts the rows, a multi-row INSERT per [`ROWS_PER_INSERT`], and returns their ids in the
/// rows' order. (Plain bound values, not a JSON batch: SQLite takes a quarter of the time to
/// read them as to take a JSON row apart column by column.)
async fn insert_requests(
    conn: &mut Conn,
    requests: &[NewRequest],
    rows: &[Pending],
    at: Timestamp,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO requests (external_id, channel, touchpoint_id, source, customer_id, \
             customer_name, subject, body, language, priority, status, assignee, received_at, \
             first_response_at, resolved_at, first_response_due, resolution_due, next_due, \
             pauses, static_points, rank_key, earlier_contacts, created_at, updated_at, \
             message_id) VALUES {}{returning_id}",
            values(
                chunk.len(),
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?)"
            ),
            returning_id = Backend::RETURNING_ID,
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            let r = &requests[row.index];
            query = query
                .bind(&r.external_id)
                .bind(&r.channel)
                .bind(row.touchpoint)
                .bind(&r.source)
                .bind(row.customer)
                .bind(&r.customer_name)
                .bind(&r.subject)
                .bind(&r.body)
                .bind(&r.language)
                .bind(r.priority.as_str())
                .bind(row.status.as_str())
                .bind(row.received.as_microsecond())
                .bind(micros(r.first_response_at))
                .bind(micros(r.resolved_at))
                .bind(micros(row.plan.first_response_due))
                .bind(micros(row.plan.resolution_due))
                .bind(micros(row.plan.next_due))
                .bind(row.plan.static_points)
                .bind(row.plan.rank_key)
                .bind(row.earlier)
                .bind(at.as_microsecond())
                .bind(at.as_microsecond())
                .bind(&r.message_id);
        }
        let stored = Backend::inserted_ids(&mut *conn, query)
            .await
            .map_err(|e| {
                let index = chunk
                    .iter()
                    .find(|row| row.touchpoint.is_some())
                    .map_or(0, |row| row.index);
                StoreError::from_violation(
                    e,
                    [OnViolation::foreign_key(StoreError::deleted_meanwhile(
                        format!("[{index}].touchpoint_id"),
                    ))],
                )
            })?;
        if stored.len() != chunk.len() {
            return Err(corrupt(
                "requests",
                "an INSERT returned another number of ids",
            ));
        }
        ids.extend(stored);
    }
    Ok(ids)
}

/// Stores the profiles and identifiers the intake created, then the pending requests, and
/// notes their outcomes; returns the requests' events.
async fn flush(
    conn: &mut Conn,
    known: &mut Identities,
    contacts: &mut HashMap<i64, i64>,
    pending: &mut Vec<Pending>,
    requests: &[NewRequest],
    outcomes: &mut [Option<IntakeOutcome>],
    at: Timestamp,
) -> Result<Vec<Event>> {
    let stored = known.store_new(conn, at).await?;
    for (placeholder, id) in &stored {
        if let Some(count) = contacts.remove(placeholder) {
            contacts.insert(*id, count);
        }
    }
    for row in pending.iter_mut() {
        row.customer = stored.get(&row.customer).copied().unwrap_or(row.customer);
    }
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let ids = insert_requests(conn, requests, pending, at).await?;
    let created: Vec<Event> = pending
        .iter()
        .zip(&ids)
        .map(|(row, id)| {
            Event::request_created(
                *id,
                &requests[row.index].channel,
                row.touchpoint,
                Some(row.customer),
            )
        })
        .collect();
    for (row, id) in pending.iter().zip(ids) {
        outcomes[row.index] = Some(IntakeOutcome {
            id,
            customer_id: Some(row.customer),
            created: true,
        });
    }
    pending.clear();
    Ok(created)
}

/// Requests per profile received since `since`, for the profiles given, in one query.
async fn recent_contacts(
    conn: &mut Conn,
    profiles: &[i64],
    since: Timestamp,
) -> Result<HashMap<i64, i64>> {
    if profiles.is_empty() {
        return Ok(HashMap::new());
    }
    let batch = json_rows(profiles.iter().map(|id| serde_json::json!(id)).collect());
    let counts: String = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT {} FROM (SELECT customer_id, COUNT(*) AS n FROM requests \
         WHERE received_at >= $2 \
         AND customer_id IN (SELECT CAST(batch.value AS BIGINT) FROM {json_values}) \
         GROUP BY customer_id) AS counted",
        json_table("customer_id, n"),
        json_values = Backend::JSON_VALUES,
    )))
    .bind(batch)
    .bind(since.as_microsecond())
    .fetch_one(&mut *conn)
    .await?;
    Ok(from_json_table::<(i64, i64)>("requests", &counts)?
        .into_iter()
        .collect())
}

fn received_of(r: &NewRequest, now: Timestamp) -> Timestamp {
    r.received_at.unwrap_or(now)
}

fn conflict(field: String, rule: &str, reason: String) -> Problems {
    Problems::single(field, Problem::rule(rule, &reason))
}
