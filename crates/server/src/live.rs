//! Live updates of the queue: every change of a request is announced on an in-process
//! broadcast, and pages that follow the queue get them as Server-Sent Events.
//!
//! The broadcast lives in one server process. Behind a load balancer a page hears the
//! changes made through its own server at once and the others' at its next reload; the
//! queue itself is always read from the store.

use tokio::sync::broadcast;

/// What changed in the queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueueEvent {
    /// The request, or 0 for a change of many (an intake batch, new weights).
    pub request_id: i64,
    /// `intake`, an agent's step (`reply`, `resolve`, …) or `rules`.
    pub kind: String,
}

/// The sending side, cheap to clone into every handler.
#[derive(Clone)]
pub struct QueueEvents(broadcast::Sender<QueueEvent>);

impl QueueEvents {
    /// Room for this many events before a slow listener misses some (it then reloads).
    const CAPACITY: usize = 256;

    pub fn new() -> QueueEvents {
        QueueEvents(broadcast::channel(Self::CAPACITY).0)
    }

    /// Announces a change; nobody listening is fine.
    pub fn send(&self, request_id: i64, kind: &str) {
        let _ = self.0.send(QueueEvent {
            request_id,
            kind: kind.to_owned(),
        });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<QueueEvent> {
        self.0.subscribe()
    }
}

impl Default for QueueEvents {
    fn default() -> Self {
        QueueEvents::new()
    }
}
