//! The server's background tasks: each runs while `serve` runs and stops with it, and the
//! periodic ones take turns with the other app servers on the database, so that a round runs
//! on one server at a time rather than on every one.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;
use touchpoints_store::Store;

/// A task running in the background until this is dropped.
pub(crate) struct Background(Option<tokio::task::AbortHandle>);

impl Background {
    pub(crate) fn spawn(task: impl Future<Output = ()> + Send + 'static) -> Background {
        Background(Some(tokio::spawn(task).abort_handle()))
    }

    /// No task: the feature is off.
    pub(crate) fn none() -> Background {
        Background(None)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}

/// This server's claim to the turn at one periodic task. The turn lasts three of the task's
/// periods: the holder renews it every period, and when it stops, another server takes over
/// within three.
#[derive(Clone)]
pub(crate) struct Turn {
    task: &'static str,
    holder: Arc<str>,
    length: SignedDuration,
}

impl Turn {
    pub(crate) fn new(task: &'static str, holder: Arc<str>, period: Duration) -> Turn {
        let length = SignedDuration::try_from(period * 3).unwrap_or(SignedDuration::MAX);
        Turn {
            task,
            holder,
            length,
        }
    }

    /// Whether this server has the turn now (taken or renewed). A database that cannot be
    /// asked gives no turn: the round could not run either.
    pub(crate) async fn take(&self, store: &dyn Store) -> bool {
        let now = Timestamp::now();
        let until = now.checked_add(self.length).unwrap_or(Timestamp::MAX);
        match store.take_turn(self.task, &self.holder, now, until).await {
            Ok(taken) => taken,
            Err(e) => {
                tracing::warn!(error = %e, task = self.task, "cannot ask for the turn");
                false
            }
        }
    }
}

/// When a periodic worker runs its next round: every `period` on the server whose turn it
/// is, at once on this server when woken (a reply or a test event queued here), and at once
/// after a full round, which leaves more due.
pub(crate) struct Rounds {
    turn: Turn,
    period: Duration,
    woken: bool,
    wait: bool,
}

impl Rounds {
    pub(crate) fn new(turn: Turn, period: Duration) -> Rounds {
        Rounds {
            turn,
            period,
            woken: false,
            wait: false,
        }
    }

    /// Waits until the next round is to run here.
    pub(crate) async fn next(&mut self, store: &dyn Store, wakeup: &Notify) {
        loop {
            if self.wait {
                self.woken = tokio::select! {
                    () = wakeup.notified() => true,
                    () = tokio::time::sleep(self.period) => false,
                };
            }
            self.wait = true;
            if self.woken || self.turn.take(store).await {
                return;
            }
        }
    }

    /// Records how the round went: after a full one the next need not wait.
    pub(crate) fn ran(&mut self, full: bool) {
        self.wait = !full;
    }
}
