//! Keys the product keeps for itself in SQL, compiled once per backend like `sql.rs`.
//!
//! A key is read first, as it is there on every call but the first. Only a missing key is
//! written: `INSERT … ON CONFLICT DO NOTHING` keeps the first of racing app servers' keys,
//! and the read that follows in the same transaction returns that one to every racer (on
//! PostgreSQL a conflicting insert waits for the other's commit, and each statement of a
//! read-committed transaction sees what was committed before it began).

use async_trait::async_trait;

use super::sql::{SqlStore, now};
use crate::{Keys, Result};

const READ: &str = "SELECT secret FROM server_keys WHERE name = $1";

#[async_trait]
impl Keys for SqlStore {
    async fn key(&self, name: &str, candidate: &str) -> Result<String> {
        let stored: Option<String> = sqlx::query_scalar(READ)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(key) = stored {
            return Ok(key);
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO server_keys (name, secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .bind(now().as_microsecond())
        .execute(&mut *tx)
        .await?;
        let key: String = sqlx::query_scalar(READ)
            .bind(name)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(key)
    }
}
