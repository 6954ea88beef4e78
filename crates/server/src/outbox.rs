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
use crate::background::{Background, Turn};

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
    // A reply on this server sends its mail at once; the rounds for the rest run on the
    // server whose turn it is.
    let mut woken = false;
    loop {
        if woken || turn.take(store.as_ref()).await {
            match outbox::deliver_due(store.as_ref(), password, Timestamp::now).await {
                // More may be due: go on without waiting.
                Ok(round) if round.was_full() => continue,
                Ok(round) => {
                    if round.sent + round.retried + round.failed > 0 {
                        tracing::info!(
                            sent = round.sent,
                            retried = round.retried,
                            failed = round.failed,
                            "outbox round"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "the outbox could not be read"),
            }
        }
        woken = tokio::select! {
            () = wakeup.0.notified() => true,
            () = tokio::time::sleep(POLL) => false,
        };
    }
}
