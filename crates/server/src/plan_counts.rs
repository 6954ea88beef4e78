//! The plan's counts, counted again in the background while managers view the plan, so that
//! a view rarely waits for a counting (see `touchpoints_app::plan_counts`).

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use touchpoints_app::plan_counts::PlanCounts;
use touchpoints_store::Store;

/// The background counting, until dropped; none when the counts are not kept.
pub(crate) struct Recount(Option<tokio::task::AbortHandle>);

impl Recount {
    pub(crate) fn start(store: Arc<dyn Store>, counts: Arc<PlanCounts>) -> Recount {
        let max_age = counts.max_age();
        if max_age.is_zero() {
            return Recount(None);
        }
        // Four looks per kept age: the counting is renewed between half and three quarters
        // of its age, before a view would have to count.
        let every = (max_age / 4).max(Duration::from_secs(1));
        let task = tokio::spawn(async move {
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
        });
        Recount(Some(task.abort_handle()))
    }
}

impl Drop for Recount {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}
