//! The 30-day programme in SQL, compiled once per backend like `sql.rs`.

use std::collections::BTreeSet;

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use touchpoints_core::action_plan::programme::TaskKey;
use touchpoints_core::audit::Said;
use touchpoints_core::{Problem, Problems};

use super::Backend;
use super::sql::{Conn, SqlStore, corrupt, instant, now};
use super::sql_audit::audit_said;
use crate::dialect::Dialect;
use crate::error::OnViolation;
use crate::{Programme, ProgrammeTick, Result, StoreError, StoredProgramme};

fn task_of(table: &'static str, key: &str) -> Result<TaskKey> {
    TaskKey::parse(key).ok_or_else(|| corrupt(table, format!("task {key}")))
}

/// The current (highest) round with what it carried and its ticks.
async fn current(conn: &mut Conn) -> Result<Option<StoredProgramme>> {
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT round, start_on, started_by, started_at FROM programmes \
         ORDER BY round DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some((round, start, started_by, started_at)) = row else {
        return Ok(None);
    };
    let carried: Vec<String> = sqlx::query_scalar(
        "SELECT task_key FROM programme_carried WHERE round = $1 ORDER BY task_key",
    )
    .bind(round)
    .fetch_all(&mut *conn)
    .await?;
    let ticks: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT task_key, done_at, done_by FROM programme_ticks WHERE round = $1 \
         ORDER BY task_key",
    )
    .bind(round)
    .fetch_all(&mut *conn)
    .await?;
    let mut ticks = ticks
        .into_iter()
        .map(|(task, done_at, done_by)| {
            Ok(ProgrammeTick {
                task: task_of("programme_ticks", &task)?,
                done_at: instant("programme_ticks", done_at)?,
                done_by,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    ticks.sort_by_key(|t| t.task);
    Ok(Some(StoredProgramme {
        round,
        start: start
            .parse::<Date>()
            .map_err(|e| corrupt("programmes", format!("day {start}: {e}")))?,
        started_by,
        started_at: instant("programmes", started_at)?,
        carried: carried
            .iter()
            .map(|k| task_of("programme_carried", k))
            .collect::<Result<BTreeSet<_>>>()?,
        ticks,
    }))
}

#[async_trait]
impl Programme for SqlStore {
    async fn programme(&self) -> Result<Option<StoredProgramme>> {
        let mut tx = self.pool.begin_with(Backend::READ_SNAPSHOT).await?;
        let programme = current(&mut tx).await?;
        tx.commit().await?;
        Ok(programme)
    }

    async fn start_programme(
        &self,
        start: Date,
        carried: &BTreeSet<TaskKey>,
        actor: &str,
    ) -> Result<StoredProgramme> {
        let mut tx = self.begin().await?;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(round) FROM programmes")
            .fetch_one(&mut *tx)
            .await?;
        let round = last.unwrap_or(0) + 1;
        let at = now();
        // Two starts at once (PostgreSQL) both read the same last round: the second
        // insert meets the first one's key.
        sqlx::query(
            "INSERT INTO programmes (round, start_on, started_by, started_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(round)
        .bind(start.to_string())
        .bind(actor)
        .bind(at.as_microsecond())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            StoreError::from_violation(
                e,
                [OnViolation::unique(StoreError::Conflict(Problems::single(
                    "start_day",
                    Problem::Invalid {
                        reason: "another round of the programme was started meanwhile".into(),
                    },
                )))],
            )
        })?;
        // The first round has nothing to carry over, whatever the caller says.
        if round > 1 {
            for task in carried {
                sqlx::query("INSERT INTO programme_carried (round, task_key) VALUES ($1, $2)")
                    .bind(round)
                    .bind(task.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let carried_count = if round > 1 { carried.len() } else { 0 };
        audit_said(
            &mut tx,
            at,
            actor,
            "programme.start",
            "programme",
            &round.to_string(),
            &format!("round {round} from {start}, {carried_count} carried over"),
            &Said::new("audit-programme-start")
                .number("round", round as f64)
                .text("start", start.to_string())
                .number("carried", carried_count as f64),
        )
        .await?;
        let programme = current(&mut tx)
            .await?
            .ok_or_else(|| corrupt("programmes", "the round just started is missing"))?;
        tx.commit().await?;
        Ok(programme)
    }

    async fn tick_programme_task(
        &self,
        task: TaskKey,
        done: bool,
        actor: &str,
    ) -> Result<StoredProgramme> {
        let mut tx = self.begin().await?;
        let round: Option<i64> = sqlx::query_scalar("SELECT MAX(round) FROM programmes")
            .fetch_one(&mut *tx)
            .await?;
        let round = round.ok_or(StoreError::NotFound {
            entity: "programme",
        })?;
        let at = now();
        let changed = if done {
            sqlx::query(
                "INSERT INTO programme_ticks (round, task_key, done_at, done_by) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (round, task_key) DO NOTHING",
            )
            .bind(round)
            .bind(task.as_str())
            .bind(at.as_microsecond())
            .bind(actor)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        } else {
            sqlx::query("DELETE FROM programme_ticks WHERE round = $1 AND task_key = $2")
                .bind(round)
                .bind(task.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected()
        };
        if changed > 0 {
            let state = if done { "done" } else { "open" };
            audit_said(
                &mut tx,
                at,
                actor,
                "programme.tick",
                "programme",
                &round.to_string(),
                &format!("{} {state}", task.as_str()),
                &Said::new(if done {
                    "audit-programme-done"
                } else {
                    "audit-programme-open"
                })
                .label(
                    "task",
                    format!("programme-task-{}", task.as_str().replace('_', "-")),
                ),
            )
            .await?;
        }
        let programme = current(&mut tx)
            .await?
            .ok_or_else(|| corrupt("programmes", "the current round is missing"))?;
        tx.commit().await?;
        Ok(programme)
    }

    async fn request_channels(&self, since: Timestamp) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT channel FROM requests WHERE received_at >= $1 ORDER BY channel",
        )
        .bind(since.as_microsecond())
        .fetch_all(&self.pool)
        .await?)
    }
}
