//! Live updates of the queue: every change of a request is announced, and pages that follow
//! the queue get the changes as Server-Sent Events from their server's in-process broadcast.
//!
//! On PostgreSQL, where app servers behind a load balancer share the database, a change is
//! announced through the store to every server following the database ([`QueueEvents::follow`],
//! started by `serve`), the announcing one included, and each forwards what it hears to its
//! own broadcast; so a page hears every change once, whichever server made it. On SQLite
//! (one process per database) a change goes to the broadcast directly. The queue itself is
//! always read from the store.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::broadcast;
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
    /// The store changes are announced through while this server follows its database's
    /// announcements; `None` sends them to the local broadcast alone.
    shared: Arc<Mutex<Option<Arc<dyn Store>>>>,
}

impl QueueEvents {
    /// Room for this many events before a slow listener misses some (it then reloads).
    const CAPACITY: usize = 256;

    pub fn new() -> QueueEvents {
        QueueEvents {
            local: broadcast::channel(Self::CAPACITY).0,
            shared: Arc::new(Mutex::new(None)),
        }
    }

    /// Announces a change; nobody listening is fine. Announcing through the store may fail
    /// (the database gone for a moment): the change is made all the same, so that is logged
    /// and only this server's pages hear of it.
    pub async fn send(&self, request_id: i64, kind: &str) {
        let shared = self
            .shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(store) = shared {
            let announcement = Announcement {
                request_id,
                what: kind.to_owned(),
            };
            match store.announce(&announcement).await {
                Ok(()) => return,
                Err(e) => tracing::warn!(
                    error = %e,
                    "cannot announce a queue change to the other app servers: \
                     only this server's pages hear of it"
                ),
            }
        }
        self.deliver(request_id, kind.to_owned());
    }

    fn deliver(&self, request_id: i64, kind: String) {
        let _ = self.local.send(QueueEvent { request_id, kind });
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
        *self.shared.lock().unwrap_or_else(PoisonError::into_inner) = Some(store);
        let events = self.clone();
        let task = tokio::spawn(async move {
            while let Some(announcement) = heard.recv().await {
                events.deliver(announcement.request_id, announcement.what);
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
