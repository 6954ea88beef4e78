//! The part of the store that keeps the 30-day programme: its rounds, what each carried over
//! from the one before, and the tasks ticked by hand.

use std::collections::BTreeSet;

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use touchpoints_core::action_plan::programme::TaskKey;

use crate::Result;

/// A task ticked by hand: when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeTick {
    pub task: TaskKey,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub done_at: Timestamp,
    pub done_by: String,
}

/// The current round of the programme as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredProgramme {
    /// 1 for the first programme, one more for each continuation.
    pub round: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start: Date,
    pub started_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub started_at: Timestamp,
    /// Tasks the round before left unfinished.
    pub carried: BTreeSet<TaskKey>,
    /// Tasks ticked by hand in this round, by task.
    pub ticks: Vec<ProgrammeTick>,
}

impl StoredProgramme {
    pub fn ticked(&self) -> BTreeSet<TaskKey> {
        self.ticks.iter().map(|t| t.task).collect()
    }
}

/// The 30-day programme: one current round for the organisation, the highest. Every write
/// is one transaction with its audit entry.
#[async_trait]
pub trait Programme: Send + Sync + 'static {
    /// The current round; `None` before the first start.
    async fn programme(&self) -> Result<Option<StoredProgramme>>;
    /// Starts a round from `start`: the first, or the next after the current one, which
    /// then ends. `carried` are the tasks the current round left unfinished (the core's
    /// `carry_over`, which the caller applies); the new round starts without ticks. A round
    /// started by someone else meanwhile is a conflict naming `start_day`. Audit
    /// `programme.start` with "round 2 from 2027-03-01, 3 carried over".
    async fn start_programme(
        &self,
        start: Date,
        carried: &BTreeSet<TaskKey>,
        actor: &str,
    ) -> Result<StoredProgramme>;
    /// Ticks (`done`) or unticks a task in the current round (`NotFound` without one); the
    /// caller checks that the task is one ticked by hand. Ticking a ticked task or unticking
    /// an open one changes nothing and records nothing. Audit `programme.tick` with
    /// "crm_training done" or "crm_training open".
    async fn tick_programme_task(
        &self,
        task: TaskKey,
        done: bool,
        actor: &str,
    ) -> Result<StoredProgramme>;
    /// The channels requests came in on from `since`, each once, by key: the channels that
    /// need a response-time target.
    async fn request_channels(&self, since: Timestamp) -> Result<Vec<String>>;
}
