//! The action plan (Maßnahmenplan): actions that optimise, launch or retire touchpoints,
//! ranked from the customer's view by [`score`], with the quick win on top by
//! [`quick_win`]. Whether an action worked is told by [`crate::kpi::effect`]. What a person
//! or program submits is checked by [`ActionInput::validate`]. The 30-day programme and its
//! tasks are [`programme`], exported to calendars by [`ical`].

pub mod ical;
pub mod import;
mod input;
pub mod programme;
mod quick_win;
mod reliance;
mod score;
mod settings;

use serde::{Deserialize, Serialize};

pub use input::{
    ActionFields, ActionInput, BUDGET_CENTS_MAX, Budget, FINDINGS_MAX, GOAL_MAX, NOTE_MAX,
    NotAQuarter, PERSON_DAYS_MAX, QUARTERS_MAX, Quarter, StatusChange, StatusChangeInput, TEAM_MAX,
    TITLE_MAX, TOUCHPOINTS_MAX, Target, TargetMetric, WITHIN_DAYS_MAX,
};
pub use quick_win::{Candidate, QuickWin, QuickWinRule, quick_win};
pub use reliance::{ALTERNATIVES_MAX, Alternative, Contacts, Reliance, reliance};
pub use score::{ActionScore, Measured, Part, PlanWeights, Reason, Signals, score};
pub use settings::{
    DAY_RATE_CENTS_MAX, GROUP_NAME_MAX, GROUP_WEIGHT_MAX, GROUP_WEIGHT_MIN, GROUP_WEIGHTS_MAX,
    POINTS_MAX, PlanSettings, QUICK_WIN_DAYS_MAX, QUICK_WIN_EFFORT_MAX, REACH_CUSTOMERS_MAX,
};

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

impl ActionKind {
    pub const ALL: [ActionKind; 3] = [ActionKind::Optimise, ActionKind::Launch, ActionKind::Retire];

    /// The stable name used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Optimise => "optimise",
            ActionKind::Launch => "launch",
            ActionKind::Retire => "retire",
        }
    }

    pub fn parse(value: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
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
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Idea,
        ActionStatus::Planned,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    /// The stable name used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Idea => "idea",
            ActionStatus::Planned => "planned",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(value: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether an action in this status may be moved to `to`: an open one to any other
    /// status; a finished (done) or dropped one only back to planned, so that reopening it
    /// starts over from a plan rather than claiming work in progress. Staying is no change.
    pub fn may_become(self, to: ActionStatus) -> bool {
        self == to || self.is_open() || to == ActionStatus::Planned
    }

    /// Still to be done: an idea, planned or in progress.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ActionStatus::Idea | ActionStatus::Planned | ActionStatus::InProgress
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_actions_move_freely_and_closed_ones_reopen_as_planned() {
        use ActionStatus::*;
        for from in ActionStatus::ALL {
            for to in ActionStatus::ALL {
                let allowed = from.may_become(to);
                let expected = from.is_open() || to == Planned || from == to;
                assert_eq!(allowed, expected, "{from:?} → {to:?}");
            }
        }
        assert!(Done.may_become(Planned) && Dropped.may_become(Planned));
        assert!(!Done.may_become(InProgress) && !Dropped.may_become(Idea));
        assert!(!Done.may_become(Dropped));
    }

    #[test]
    fn names_read_back() {
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).expect("json");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        for status in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).expect("json");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }
}
