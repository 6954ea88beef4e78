//! The SQL of the store, written once and compiled twice: as `sqlite::sql` and as
//! `postgres::sql`, each with its parent's `Backend`, an implementation of
//! [`Dialect`](crate::dialect::Dialect), and that dialect's driver (`Db`). Both dialects
//! accept the `$n` placeholders, `RETURNING`, `ON CONFLICT … DO UPDATE` and `LIKE … ESCAPE`
//! used here; what differs between them (how a transaction begins, how a row is locked, how
//! a batch is bound, the migrations) is a piece of the dialect, and connecting lives in the
//! parent modules.
//!
//! This module is the plumbing the others share: the store on its pools, the transactions
//! it begins, instants as microseconds, and batches bound as JSON.

use std::sync::Arc;

use jiff::Timestamp;
use sqlx::{AssertSqlSafe, Pool};
use touchpoints_core::catalog::{default_channels, default_phases};
use touchpoints_core::{ApiToken, Catalog};

use super::Backend;
use super::sql_intake::IntakePart;
use super::sql_requests::StepPart;
use super::sql_surveys::{AnswersPart, EventsPart};
use crate::dialect::Dialect;
use crate::group_commit::GroupCommit;
use crate::{Import, ImportSummary, IntakeOutcome, Inventory, Result, StoreError, StoredRequest};

/// The driver of this backend.
pub(super) type Db = <Backend as Dialect>::Db;

pub(super) type Conn = <Db as sqlx::Database>::Connection;

/// The store on one pool of connections.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pub(super) pool: Pool<Db>,
    /// Where write transactions run: the same pool on PostgreSQL; on SQLite, which lets one
    /// transaction write at a time, a pool of one connection, so that writers wait for it in
    /// order (instead of polling the database's lock and sleeping between tries) and its page
    /// cache stays valid from one write to the next (a connection discards its cache when
    /// another connection has written since its last transaction).
    pub(super) writes: Pool<Db>,
    /// A task of the backend's that lives as long as the store (SQLite's checkpoints).
    pub(super) _background: Option<Arc<crate::AbortOnDrop>>,
    pub(super) queues: Queues,
    pub(super) remembered: Arc<Remembered>,
}

/// What every intake call reads and hardly anything changes, kept for a moment (see
/// `remembered`).
#[derive(Debug, Default)]
pub(super) struct Remembered {
    pub(super) catalog: crate::remembered::Remembered<(), Catalog>,
    /// Verified API tokens by the digest of their secret; unknown ones are always looked up.
    pub(super) tokens: crate::remembered::Remembered<String, ApiToken>,
    /// The organisation's time zone, which every report and roll-up read starts from.
    pub(super) time_zone: crate::remembered::Remembered<(), String>,
}

/// Writes waiting for the next group commit, one queue per kind.
#[derive(Debug, Clone, Default)]
pub(super) struct Queues {
    pub(super) intakes: GroupCommit<IntakePart, Vec<IntakeOutcome>>,
    pub(super) answers: GroupCommit<AnswersPart, ImportSummary>,
    pub(super) events: GroupCommit<EventsPart, ImportSummary>,
    pub(super) steps: GroupCommit<StepPart, StoredRequest>,
}

/// One caller's write, which a group commit puts in one transaction with others (see
/// `group_commit`).
pub(super) trait GroupWrite: Sized + Send + Sync + 'static {
    type Output: Send + 'static;

    /// How many items it holds.
    fn items(&self) -> usize;

    /// Writes it in the transaction `conn`, all or none.
    fn write_in(&self, conn: &mut Conn) -> impl Future<Output = Result<Self::Output>> + Send;

    /// Writes several in the transaction `conn`, all or none: one after the other, unless a
    /// kind of write has a cheaper way.
    fn write_all_in(
        parts: &[Self],
        conn: &mut Conn,
    ) -> impl Future<Output = Result<Vec<Self::Output>>> + Send {
        async move {
            let mut outputs = Vec::with_capacity(parts.len());
            for part in parts {
                outputs.push(part.write_in(conn).await?);
            }
            Ok(outputs)
        }
    }
}

/// A batch as the JSON text bound as `$1`: for `Dialect::JSON_ROWS`, one array per row, whose
/// columns a statement reads with `batch.value ->> n` (text or NULL on PostgreSQL, hence a
/// CAST for numbers); for `Dialect::JSON_VALUES`, one string or number per value.
pub(super) fn json_rows(rows: Vec<serde_json::Value>) -> String {
    serde_json::Value::Array(rows).to_string()
}

/// A select-list item that gathers the rows of a query into one JSON array of arrays of
/// `columns`, read with [`from_json_table`]: the SQLite driver hands each row of a result
/// over from its worker thread on its own, so a lookup that finds hundreds of rows is
/// cheaper as one row that holds them all.
pub(super) fn json_table(columns: &str) -> String {
    json_table_in_order(columns, "")
}

/// [`json_table`] with the rows in the order of `order_by` (an `ORDER BY` list; both
/// backends order an aggregate's input so).
pub(super) fn json_table_in_order(columns: &str, order_by: &str) -> String {
    let order = if order_by.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {order_by}")
    };
    format!(
        "CAST(COALESCE({json_agg}({json_array}({columns}){order}), '[]') AS TEXT)",
        json_agg = Backend::JSON_AGG,
        json_array = Backend::JSON_ARRAY
    )
}

/// The text of `SELECT column` for a select-list item that reads a whole list, such as
/// `sql_requests::settings_column`: one statement, one row.
pub(super) async fn select_column(conn: &mut Conn, column: &str) -> Result<String> {
    Ok(
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT {column}")))
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// The rows [`json_table`] gathered, each as a tuple of its columns.
pub(super) fn from_json_table<T: serde::de::DeserializeOwned>(
    table: &'static str,
    text: &str,
) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| corrupt(table, format!("rows as JSON: {e}")))
}

/// Rows for a multi-row `VALUES`: `rows` copies of `row`, a template such as `(?, ?, NULL)`
/// whose `?` stand for bound values, numbered `$1`, `$2` … across the rows where the backend
/// needs numbers (see `Dialect::NUMBERED_PARAMS`).
pub(super) fn values(rows: usize, row: &str) -> String {
    let mut sql = String::with_capacity(rows * (row.len() + 8));
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        for c in row.chars() {
            if c == '?' && Backend::NUMBERED_PARAMS {
                n += 1;
                sql.push('$');
                sql.push_str(&n.to_string());
            } else {
                sql.push(c);
            }
        }
    }
    sql
}

/// The current instant at the precision the database keeps, so that what a write returns
/// equals what a later read returns.
pub(super) fn now() -> Timestamp {
    let micros = Timestamp::now().as_microsecond();
    Timestamp::from_microsecond(micros).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(super) fn corrupt(table: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        table,
        reason: reason.into(),
    }
}

pub(super) fn instant(table: &'static str, micros: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|e| corrupt(table, e.to_string()))
}

impl SqlStore {
    /// Brings the schema up to date and, on a new database, fills in the default catalog.
    pub(crate) async fn prepare(pool: Pool<Db>) -> Result<SqlStore> {
        // Before the first migration the bookkeeping table does not exist and this fails.
        let fresh = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&pool)
            .await
            .map_or(true, |applied| applied == 0);
        // On PostgreSQL the migrator holds an advisory lock: app servers starting together
        // migrate once.
        crate::migrator(Backend::MIGRATIONS).run(&pool).await?;
        let store = SqlStore {
            writes: pool.clone(),
            pool,
            _background: None,
            queues: Queues::default(),
            remembered: Arc::default(),
        };
        if fresh {
            let defaults = Import {
                channels: default_channels(),
                phases: default_phases(),
                touchpoints: Vec::new(),
            };
            store.import(&defaults, "system").await?;
        }
        let phones = store.renew_phone_numbers().await?;
        if phones.changed > 0 {
            tracing::info!(
                changed = phones.changed,
                merged = phones.merged,
                rules = touchpoints_core::customer::PHONE_RULES,
                "stored phone numbers by the rules of this build"
            );
        }
        Ok(store)
    }

    pub(super) async fn begin(&self) -> Result<sqlx::Transaction<'static, Db>> {
        Ok(self.writes.begin_with(Backend::BEGIN).await?)
    }

    /// Writes `part` in the next group commit of `queue` and answers once it is committed.
    pub(super) async fn group_write<P: GroupWrite>(
        &self,
        queue: &GroupCommit<P, P::Output>,
        part: P,
    ) -> Result<P::Output> {
        let items = part.items();
        queue
            .write(part, items, Backend::WRITER_THREAD, || {
                // The task's own handle on the pools, without the queues: a queue's sender
                // would keep its task, and with it the store, alive for ever.
                let writer = SqlStore {
                    queues: Queues::default(),
                    ..self.clone()
                };
                move |parts| {
                    let writer = writer.clone();
                    async move { writer.write_group(parts).await }
                }
            })
            .await
    }

    /// Writes a group: all in one transaction when every part can be stored; otherwise each
    /// in its own, so that each caller hears its own refusal and the others are stored.
    async fn write_group<P: GroupWrite>(&self, parts: Vec<P>) -> Vec<Result<P::Output>> {
        if parts.len() > 1
            && let Ok(outputs) = self.write_together(&parts).await
        {
            return outputs.into_iter().map(Ok).collect();
        }
        let mut results = Vec::with_capacity(parts.len());
        for part in &parts {
            results.push(self.write_alone(part).await);
        }
        results
    }

    async fn write_together<P: GroupWrite>(&self, parts: &[P]) -> Result<Vec<P::Output>> {
        let mut tx = self.begin().await?;
        let outputs = P::write_all_in(parts, &mut tx).await?;
        tx.commit().await?;
        Ok(outputs)
    }

    async fn write_alone<P: GroupWrite>(&self, part: &P) -> Result<P::Output> {
        let mut tx = self.begin().await?;
        let output = part.write_in(&mut tx).await?;
        tx.commit().await?;
        Ok(output)
    }
}
