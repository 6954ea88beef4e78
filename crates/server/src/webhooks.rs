//! The webhook worker: while `serve` runs, it posts the deliveries that are due, every few
//! seconds (events written by this or another server of a shared database, retries, a server
//! that died while posting), and at once after a test event on this server.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::Notify;
use touchpoints_app::webhooks::{self, Poster};
use touchpoints_store::Store;

/// How often the worker looks for due deliveries when nothing woke it.
const POLL: Duration = Duration::from_secs(5);

/// Wakes the worker when a test event was queued; cheap to clone into every handler.
#[derive(Clone, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// The running worker; dropping it stops the worker. A delivery in the middle of its post
/// then is taken up again when its lease ends, with the same event id.
pub(crate) struct Worker(tokio::task::AbortHandle);

impl Worker {
    pub(crate) fn start(store: Arc<dyn Store>, wakeup: Wakeup) -> Worker {
        Worker(tokio::spawn(run(store, wakeup)).abort_handle())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn run(store: Arc<dyn Store>, wakeup: Wakeup) {
    let poster = Poster::new();
    loop {
        match webhooks::deliver_due(store.as_ref(), &poster, Timestamp::now).await {
            Ok(round) if round.was_full() => continue,
            Ok(round) => {
                if round.delivered + round.retried + round.failed > 0 {
                    tracing::info!(
                        delivered = round.delivered,
                        retried = round.retried,
                        failed = round.failed,
                        "webhook round"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "the webhook deliveries could not be read"),
        }
        tokio::select! {
            () = wakeup.0.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}
