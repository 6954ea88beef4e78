//! Live updates of the queue: every change of a request is announced, and pages that follow
//! the queue get the changes as Server-Sent Events from their server's in-process broadcast.
//!
//! On PostgreSQL, where app servers behind a load balancer share the database, a change is
//! announced through the store to every server following the database ([`QueueEvents::follow`],
//! started by `serve`), the announcing one included, and each forwards what it hears to its
//! own broadcast; so a page hears every change once, whichever server made it. Changes are
//! announced by one task that sends whatever has queued up meanwhile together, since
//! PostgreSQL commits notifying transactions one at a time. On SQLite
//! (one process per database) a change goes to the broadcast directly. The queue itself is
//! always read from the store.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{broadcast, mpsc};
use touchpoints_store::{Announcement, Store};

/// What changed in the queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueueEvent {
    /// The request, or 0 for a change of many (an intake batch, new weights).
    pub request_id: i64,
    /// `intake`, an agent's step (`reply`, `resolve`, …), `rules`, or `resync` after the
    /// server lost changes announced by others.
    pub kind: String,
}

/// The sending side, cheap to clone into every handler.
#[derive(Clone)]
pub struct QueueEvents {
    local: broadcast::Sender<QueueEvent>,
    /// The task that announces changes through the store while this server follows its
    /// database's announcements; `None` sends them to the local broadcast alone.
    shared: Arc<Mutex<Option<mpsc::Sender<Announcement>>>>,
}

impl QueueEvents {
    /// Room for this many events before a slow listener misses some (it then reloads).
    const CAPACITY: usize = 256;
    /// Changes waiting to be announced before a sender waits for the announcer.
    const WAITING: usize = 1024;
    /// Changes announced by one statement at most.
    const ANNOUNCED_AT_ONCE: usize = 512;

    pub fn new() -> QueueEvents {
        QueueEvents {
            local: broadcast::channel(Self::CAPACITY).0,
            shared: Arc::new(Mutex::new(None)),
        }
    }

    /// Announces a change; nobody listening is fine. While the server follows its database,
    /// the change is handed to the announcer, which is waited for only when it lags far
    /// behind.
    pub async fn send(&self, request_id: i64, kind: &str) {
        let announcer = self
            .shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let announcement = Announcement {
            request_id,
            what: kind.to_owned(),
        };
        let announcement = match announcer {
            Some(announcer) => match announcer.send(announcement).await {
                Ok(()) => return,
                // The announcer stopped with the following: this server's pages hear it.
                Err(mpsc::error::SendError(announcement)) => announcement,
            },
            None => announcement,
        };
        deliver(&self.local, announcement);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<QueueEvent> {
        self.local.subscribe()
    }

    /// How many pages follow the queue on this server now, for the metrics.
    pub fn followers(&self) -> usize {
        self.local.receiver_count()
    }

    /// Follows the announcements of every app server on the store's database, if the store
    /// has them, and from then on announces through the store: returns the task that
    /// forwards what it hears to this server's pages, to be aborted (see [`Following`]) when
    /// the server stops. Without announcements (SQLite), or when following fails (logged),
    /// changes stay in this process.
    pub async fn follow(&self, store: Arc<dyn Store>) -> Option<Following> {
        if self.is_shared() {
            // Another `serve` on this state follows already; a second would repeat each change.
            return None;
        }
        let mut heard = match store.follow().await {
            Ok(Some(heard)) => heard,
            Ok(None) => return None,
            Err(e) => {
                tracing::error!(
                    error = %e,
                    "cannot follow the queue changes of other app servers: \
                     pages hear only this server's changes"
                );
                return None;
            }
        };
        let (announcer, waiting) = mpsc::channel(Self::WAITING);
        tokio::spawn(announce(store, waiting, self.local.clone()));
        *self.shared.lock().unwrap_or_else(PoisonError::into_inner) = Some(announcer);
        let events = self.clone();
        let task = tokio::spawn(async move {
            while let Some(announcement) = heard.recv().await {
                deliver(&events.local, announcement);
            }
            tracing::error!(
                "the queue changes of other app servers are no longer followed: \
                 pages hear only this server's changes"
            );
            events.stop_sharing();
        });
        Some(Following {
            events: self.clone(),
            task: task.abort_handle(),
        })
    }

    fn is_shared(&self) -> bool {
        self.shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    fn stop_sharing(&self) {
        *self.shared.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Default for QueueEvents {
    fn default() -> Self {
        QueueEvents::new()
    }
}

fn deliver(local: &broadcast::Sender<QueueEvent>, announcement: Announcement) {
    let _ = local.send(QueueEvent {
        request_id: announcement.request_id,
        kind: announcement.what,
    });
}

/// Announces through the store whatever changes have queued up since its last statement,
/// until the following stops. Announcing may fail (the database gone for a moment): the
/// changes are made all the same, so that is logged and only this server's pages hear of
/// them.
async fn announce(
    store: Arc<dyn Store>,
    mut waiting: mpsc::Receiver<Announcement>,
    local: broadcast::Sender<QueueEvent>,
) {
    let mut together = Vec::with_capacity(QueueEvents::ANNOUNCED_AT_ONCE);
    while waiting
        .recv_many(&mut together, QueueEvents::ANNOUNCED_AT_ONCE)
        .await
        > 0
    {
        if let Err(e) = store.announce(&together).await {
            tracing::warn!(
                error = %e,
                changes = together.len(),
                "cannot announce queue changes to the other app servers: \
                 only this server's pages hear of them"
            );
            for announcement in together.drain(..) {
                deliver(&local, announcement);
            }
        }
        together.clear();
    }
}

/// A server's following of its database's announcements; dropped, it stops, and changes
/// stay in the process again.
pub struct Following {
    events: QueueEvents,
    task: tokio::task::AbortHandle,
}

impl Drop for Following {
    fn drop(&mut self) {
        self.events.stop_sharing();
        self.task.abort();
    }
}
