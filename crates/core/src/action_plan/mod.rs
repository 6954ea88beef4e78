//! The action plan (Maßnahmenplan): actions that optimise, launch or retire touchpoints,
//! ranked from the customer's view by [`score`], with the quick win on top by
//! [`quick_win`]. Whether an action worked is told by [`crate::kpi::effect`].

mod quick_win;
mod score;

use serde::{Deserialize, Serialize};

pub use quick_win::{Candidate, QuickWin, QuickWinRule, quick_win};
pub use score::{ActionScore, Measured, Part, PlanWeights, Reason, Signals, score};

/// What an action does to its touchpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActionKind {
    /// Optimieren: make an existing touchpoint better.
    Optimise,
    /// Neu einführen: launch a touchpoint (which may exist as planned).
    Launch,
    /// Streichen: retire a touchpoint without losing the customers who rely on it.
    Retire,
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActionStatus {
    Idea,
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    /// Still to be done: an idea, planned or in progress.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ActionStatus::Idea | ActionStatus::Planned | ActionStatus::InProgress
        )
    }
}
