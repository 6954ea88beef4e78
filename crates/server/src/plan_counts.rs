//! The plan's counts, counted again in the background while managers view the plan, so that
//! a view rarely waits for a counting (see `touchpoints_app::plan_counts`).

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use touchpoints_app::plan_counts::PlanCounts;
use touchpoints_store::Store;

use crate::background::Background;

/// The background counting, until the returned task is dropped; none when the counts are
/// not kept. Each server counts for itself: the counts live in its memory.
pub(crate) fn recount(store: Arc<dyn Store>, counts: Arc<PlanCounts>) -> Background {
    let max_age = counts.max_age();
    if max_age.is_zero() {
        return Background::none();
    }
    // Four looks per kept age: the counting is renewed between half and three quarters
    // of its age, before a view would have to count.
    let every = (max_age / 4).max(Duration::from_secs(1));
    Background::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(e) = counts
                .refresh_if_due(store.as_ref(), Timestamp::now())
                .await
            {
                tracing::warn!(error = %e, "cannot count the action plan's customers");
            }
        }
    })
}
