//! Read-mostly records kept in memory for a moment: the catalog and verified API tokens,
//! which every intake call reads before it writes, and the organisation's time zone, which
//! every report reads. On SQLite each query is handed to the connection's thread and back,
//! on PostgreSQL it is a round trip; at thousands of calls a second those hand-offs, not
//! the queries, were most of a call's time.
//!
//! What this store changes itself it forgets at once, after its commit. What another server
//! on the same database changes is seen within [`FRESH_FOR`]: a revoked token works there
//! for at most that long, a new channel is accepted there that much later, and its reports
//! count days in the new time zone that much later.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a remembered record is used before it is read again.
pub(crate) const FRESH_FOR: Duration = Duration::from_secs(1);

/// More entries than this and all are forgotten: the map is a shortcut, never a store of its
/// own, and tokens are few.
const MAX_ENTRIES: usize = 1_024;

/// Records by key, each used for [`FRESH_FOR`] after it was read.
#[derive(Debug)]
pub(crate) struct Remembered<K, V> {
    inner: Mutex<Inner<K, V>>,
}

#[derive(Debug)]
struct Inner<K, V> {
    /// Counts the times everything was forgotten: a read that began before a change must not
    /// be remembered after it.
    generation: u64,
    entries: HashMap<K, (V, Instant)>,
}

impl<K, V> Default for Remembered<K, V> {
    fn default() -> Self {
        Remembered {
            inner: Mutex::new(Inner {
                generation: 0,
                entries: HashMap::new(),
            }),
        }
    }
}

impl<K: Hash + Eq, V: Clone> Remembered<K, V> {
    /// The record under `key`, if it was read less than [`FRESH_FOR`] ago.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let inner = self.lock();
        let (value, read_at) = inner.entries.get(key)?;
        (read_at.elapsed() < FRESH_FOR).then(|| value.clone())
    }

    /// Where to start a read from the database: pass it to [`Remembered::keep`] with what was
    /// read.
    pub(crate) fn begin(&self) -> Started {
        Started {
            generation: self.lock().generation,
            at: Instant::now(),
        }
    }

    /// Remembers what a read started at `started` found, unless something was forgotten
    /// since it started (then the read may predate the change).
    pub(crate) fn keep(&self, started: Started, key: K, value: V) {
        let mut inner = self.lock();
        if inner.generation != started.generation {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner.entries.insert(key, (value, started.at));
    }

    /// Forgets every record: call after committing a change to what they hold.
    pub(crate) fn forget_all(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        // The map holds copies only; one left half-updated by a panic is still usable.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// When and in which generation a read began.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Started {
    generation: u64,
    at: Instant,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_used_until_it_is_forgotten() {
        let memo = Remembered::<&str, u32>::default();
        assert_eq!(memo.get(&"a"), None);
        memo.keep(memo.begin(), "a", 1);
        assert_eq!(memo.get(&"a"), Some(1));
        memo.forget_all();
        assert_eq!(memo.get(&"a"), None);
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let memo = Remembered::<&str, u32>::default();
        let started = memo.begin();
        memo.forget_all();
        memo.keep(started, "a", 1);
        assert_eq!(memo.get(&"a"), None);
        memo.keep(memo.begin(), "a", 2);
        assert_eq!(memo.get(&"a"), Some(2));
    }

    #[test]
    fn a_record_read_too_long_ago_is_read_again() {
        let memo = Remembered::<&str, u32>::default();
        let long_ago = Started {
            generation: 0,
            at: Instant::now() - FRESH_FOR,
        };
        memo.keep(long_ago, "a", 1);
        assert_eq!(memo.get(&"a"), None);
    }

    #[test]
    fn the_map_is_bounded() {
        let memo = Remembered::<usize, usize>::default();
        for i in 0..=MAX_ENTRIES {
            memo.keep(memo.begin(), i, i);
        }
        assert_eq!(memo.get(&MAX_ENTRIES), Some(MAX_ENTRIES));
        assert_eq!(memo.get(&0), None);
    }
}
