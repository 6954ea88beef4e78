//! The queue's rules as the store applies them: the priority cue words, compiled once, and
//! the core's plan of a request.

use std::sync::LazyLock;

use touchpoints_core::priority::Cues;
pub use touchpoints_core::priority::Weights;
pub use touchpoints_core::queue::{Facts, Plan, Rules};
pub use touchpoints_core::sla::Calendar;

static CUES: LazyLock<Cues> = LazyLock::new(Cues::new);

/// Plans a request under `rules` (see the core's `queue::plan`).
pub(crate) fn plan(rules: &Rules, facts: &Facts<'_>) -> Plan {
    touchpoints_core::queue::plan(rules, facts, &CUES)
}
