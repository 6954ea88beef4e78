//! Persistence of Touchpoints behind one interface, [`Store`], with two backends that pass the
//! same test suite: SQLite (the embedded default, one file) and PostgreSQL (production, many
//! app servers on one database).
//!
//! Every write is one transaction: a write either happens whole or not at all. Validation of
//! content is the core's job; the store enforces what only it can see (unique names, keys that
//! exist, keys still in use) and reports it as field problems.

mod error;
mod postgres;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::SqlStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use touchpoints_core::history::HistoryEntry;
use touchpoints_core::{Catalog, Channel, Phase, Touchpoint, TouchpointFields, TouchpointFilter};

pub use error::StoreError;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What one import brings, written in one transaction: catalog entries first (inserted or
/// updated by key), then touchpoints (inserted, or updated when one of the same name exists).
#[derive(Debug, Clone, Default)]
pub struct Import {
    pub channels: Vec<Channel>,
    pub phases: Vec<Phase>,
    pub touchpoints: Vec<TouchpointFields>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The persistence interface. Implementations are cheap to share (`Arc<dyn Store>`).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The name of the backend, for logs and the health endpoint.
    fn backend(&self) -> &'static str;

    /// Channels and phases.
    async fn catalog(&self) -> Result<Catalog>;
    /// Inserts the channel, or updates the one with the same key.
    async fn put_channel(&self, channel: &Channel) -> Result<()>;
    /// Fails with a conflict while a touchpoint uses the channel.
    async fn delete_channel(&self, key: &str) -> Result<()>;
    /// Inserts the phase, or updates the one with the same key.
    async fn put_phase(&self, phase: &Phase) -> Result<()>;
    /// Fails with a conflict while a touchpoint uses the phase.
    async fn delete_phase(&self, key: &str) -> Result<()>;

    /// Touchpoints matching the filter, ordered by name.
    async fn list_touchpoints(&self, filter: &TouchpointFilter) -> Result<Vec<Touchpoint>>;
    async fn touchpoint(&self, id: i64) -> Result<Touchpoint>;
    async fn create_touchpoint(&self, fields: &TouchpointFields, actor: &str)
    -> Result<Touchpoint>;
    /// Replaces the content of a touchpoint; records the changed fields in its history.
    async fn update_touchpoint(
        &self,
        id: i64,
        fields: &TouchpointFields,
        actor: &str,
    ) -> Result<Touchpoint>;
    /// Sets the status to retired; the touchpoint stays in the inventory and its history.
    async fn retire_touchpoint(&self, id: i64, actor: &str) -> Result<Touchpoint>;
    /// Removes the touchpoint; its history stays, ending with the deletion.
    async fn delete_touchpoint(&self, id: i64, actor: &str) -> Result<()>;
    /// The history of a touchpoint, newest first; also for a deleted one.
    async fn history(&self, id: i64) -> Result<Vec<HistoryEntry>>;

    /// Writes everything or nothing; see [`Import`].
    async fn import(&self, import: &Import, actor: &str) -> Result<ImportSummary>;
}

/// The migrations of one backend as (version, description, SQL), applied in order.
fn migrator(migrations: &[(i64, &'static str, &'static str)]) -> Migrator {
    Migrator::with_migrations(
        migrations
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    SqlStr::from_static(sql),
                    false,
                )
            })
            .collect(),
    )
}

/// Opens the store a URL names and brings its schema up to date: `sqlite://PATH` (the file is
/// created if missing), `sqlite::memory:`, or `postgres://…` / `postgresql://…`.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?))
    } else {
        Err(StoreError::Config(format!(
            "unsupported database URL \"{url}\": use sqlite://FILE or postgres://…"
        )))
    }
}
