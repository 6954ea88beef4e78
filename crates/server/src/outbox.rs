//! The outbox worker: while `serve` runs, it sends the mails that are due, at once after a
//! reply on this server, and every few seconds for the rest (retries, replies written on
//! other servers of a shared database, a server that died while sending) on the one server
//! of a shared database whose turn it is.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::Notify;
use touchpoints_app::outbox;
use touchpoints_store::Store;

use crate::Password;
use crate::background::{Background, Rounds, Turn};

/// How often the worker looks for due mails when nothing woke it.
const POLL: Duration = Duration::from_secs(5);

/// Wakes the worker when a reply queued a mail; cheap to clone into every handler.
#[derive(Clone, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Starts the worker, until the returned task is dropped. A mail in the middle of its send
/// then is taken up again when its lease ends, with the same `Message-ID`.
pub(crate) fn start(
    store: Arc<dyn Store>,
    password: Option<Password>,
    wakeup: Wakeup,
    holder: Arc<str>,
) -> Background {
    Background::spawn(run(
        store,
        password,
        wakeup,
        Turn::new("outbox", holder, POLL),
    ))
}

async fn run(store: Arc<dyn Store>, password: Option<Password>, wakeup: Wakeup, turn: Turn) {
    let password = password.as_ref().map(Password::expose);
    let mut rounds = Rounds::new(turn, POLL);
    loop {
        rounds.next(store.as_ref(), &wakeup.0).await;
        let full = match outbox::deliver_due(store.as_ref(), password, Timestamp::now).await {
            Ok(round) => {
                if round.sent + round.retried + round.failed > 0 {
                    tracing::info!(
                        sent = round.sent,
                        retried = round.retried,
                        failed = round.failed,
                        "outbox round"
                    );
                }
                round.was_full()
            }
            Err(e) => {
                tracing::error!(error = %e, "the outbox could not be read");
                false
            }
        };
        rounds.ran(full);
    }
}
