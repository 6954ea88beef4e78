//! Counts of hits per fixed window in SQL, compiled once per backend like `sql.rs`.
//!
//! A hit is one statement, `INSERT … ON CONFLICT DO UPDATE … RETURNING`: it makes the row,
//! or starts an ended window again, or adds one, and reads back the count it left, without
//! a transaction around it. On PostgreSQL a conflicting insert waits for the row's other
//! writer and then updates the row as that one left it, so hits racing from several app
//! servers each count once and each sees a different count. Every `SET` expression reads the
//! row as it was before the update, on both backends.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};

use super::Backend;
use super::sql::{SqlStore, instant};
use crate::dialect::Dialect;
use crate::{Hits, Result, Throttles};

/// `$1` kind, `$2` subject, `$3` now, `$4` the window's length, `$5` the limit (all
/// microseconds or counts).
const HIT: &str = "INSERT INTO throttles (kind, subject, hits, window_ends) \
     VALUES ($1, $2, 1, $3 + $4) \
     ON CONFLICT (kind, subject) DO UPDATE SET \
     hits = CASE WHEN throttles.window_ends <= $3 THEN 1 ELSE throttles.hits + 1 END, \
     window_ends = CASE \
         WHEN throttles.window_ends <= $3 THEN $3 + $4 \
         WHEN throttles.hits + 1 = $5 THEN $3 + $4 \
         ELSE throttles.window_ends END \
     RETURNING hits, window_ends";

#[async_trait]
impl Throttles for SqlStore {
    fn counts_shared(&self) -> bool {
        Backend::NAME != "sqlite"
    }

    async fn hit(
        &self,
        kind: &str,
        subject: &str,
        limit: u64,
        window: SignedDuration,
        now: Timestamp,
    ) -> Result<Hits> {
        // A window shorter than a microsecond would end as it begins and count nothing.
        let window = i64::try_from(window.as_micros().max(1)).unwrap_or(i64::MAX / 4);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // One statement, so on SQLite the write connection, where every write waits its turn.
        let (hits, ends): (i64, i64) = sqlx::query_as(HIT)
            .bind(kind)
            .bind(subject)
            .bind(now.as_microsecond())
            .bind(window)
            .bind(limit)
            .fetch_one(&self.writes)
            .await?;
        Ok(Hits {
            count: u64::try_from(hits).unwrap_or(0),
            window_ends: instant("throttles", ends)?,
        })
    }

    async fn forgive(&self, kind: &str, subject: &str, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE throttles SET hits = hits - 1 \
             WHERE kind = $1 AND subject = $2 AND window_ends > $3 AND hits > 0",
        )
        .bind(kind)
        .bind(subject)
        .bind(now.as_microsecond())
        .execute(&self.writes)
        .await?;
        Ok(())
    }

    async fn purge_throttles(&self, now: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM throttles WHERE window_ends <= $1")
            .bind(now.as_microsecond())
            .execute(&self.writes)
            .await?;
        Ok(done.rows_affected())
    }
}
