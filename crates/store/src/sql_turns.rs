//! Turns at background tasks in SQL, compiled once per backend like `sql.rs`.
//!
//! Taking a turn is one statement, `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`: it
//! makes the row, or renews the holder's own turn, or takes over one that has ended, and
//! returns a row only then. On PostgreSQL a conflicting insert waits for the row's other
//! writer and then judges the row as that one left it, so of servers asking at once one gets
//! the turn.

use async_trait::async_trait;
use jiff::Timestamp;

use super::sql::SqlStore;
use crate::{Result, Turns};

/// `$1` task, `$2` holder, `$3` now, `$4` until (microseconds).
const TAKE: &str = "INSERT INTO turns (task, holder, held_until) VALUES ($1, $2, $4) \
     ON CONFLICT (task) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until \
     WHERE turns.holder = excluded.holder OR turns.held_until <= $3 \
     RETURNING holder";

#[async_trait]
impl Turns for SqlStore {
    async fn take_turn(
        &self,
        task: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        let taken: Option<String> = sqlx::query_scalar(TAKE)
            .bind(task)
            .bind(holder)
            .bind(now.as_microsecond())
            .bind(until.as_microsecond())
            .fetch_optional(&self.writes)
            .await?;
        Ok(taken.is_some())
    }
}
