//! Group commit: writes of one kind that arrive while another is committing wait for it and
//! then share one transaction, and with it one sync of the log to the disk.
//!
//! Under full durability a commit waits for the disk (a fraction of a millisecond here, far
//! more on a network disk), and on SQLite only one transaction writes at a time. One request
//! per HTTP call, the way webhooks send, would then be bounded by one sync per request; a
//! group of them costs about what one batch costs. Each caller is answered only once the
//! transaction holding its write has committed, with its own outcome or its own refusal.
//!
//! One task per store takes what has queued up, writes it with the backend's function and
//! answers every caller. On SQLite it runs on a thread of its own: a group is a dozen
//! statements, each handed to the driver's thread and back, and a task on the runtime that
//! serves HTTP waits behind the ready HTTP tasks for each answer; the thread shares a CPU
//! with the driver's (see `writer_cpu`). A caller that stops waiting (its client went away)
//! does not undo a write already queued: it is stored all the same, and a retry finds it by
//! its external id.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use crate::{Result, StoreError};

/// The most items one group takes, so that one group's transaction stays as short as a
/// large batch's: a part bigger than this is written alone.
const GROUP_ITEMS: usize = 5_000;

struct Queued<P, O> {
    part: P,
    /// How many items the part holds, against [`GROUP_ITEMS`].
    items: usize,
    answer: oneshot::Sender<Result<O>>,
}

/// The queue of one kind of write, shared by the clones of a store. Its task starts with the
/// first write and ends when the last clone of the store is dropped.
pub(crate) struct GroupCommit<P, O> {
    queue: Arc<OnceLock<mpsc::UnboundedSender<Queued<P, O>>>>,
}

impl<P, O> Clone for GroupCommit<P, O> {
    fn clone(&self) -> Self {
        GroupCommit {
            queue: self.queue.clone(),
        }
    }
}

impl<P, O> Default for GroupCommit<P, O> {
    fn default() -> Self {
        GroupCommit {
            queue: Arc::new(OnceLock::new()),
        }
    }
}

impl<P, O> std::fmt::Debug for GroupCommit<P, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit")
            .field("started", &self.queue.get().is_some())
            .finish()
    }
}

impl<P: Send + 'static, O: Send + 'static> GroupCommit<P, O> {
    /// Writes `part`, of `items` items, in the next group and answers with its outcome, once
    /// committed.
    ///
    /// `write` writes a group: given the parts, it answers one result per part, in order.
    /// It is taken from the first call only, which starts the task that runs it.
    pub(crate) async fn write<W, F, Fut>(
        &self,
        part: P,
        items: usize,
        own_thread: bool,
        write: W,
    ) -> Result<O>
    where
        W: FnOnce() -> F,
        F: FnMut(Vec<P>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<Result<O>>> + Send + 'static,
    {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            let writer = run(receiver, write());
            if own_thread {
                on_own_thread(writer);
            } else {
                tokio::spawn(writer);
            }
            sender
        });
        let (answer, answered) = oneshot::channel();
        queue
            .send(Queued {
                part,
                items,
                answer,
            })
            .map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }
}

/// The task: waits for a write, takes every write queued behind it (up to
/// [`GROUP_ITEMS`]), writes them as one group and answers each caller.
async fn run<P, O, F, Fut>(mut receiver: mpsc::UnboundedReceiver<Queued<P, O>>, mut write: F)
where
    F: FnMut(Vec<P>) -> Fut,
    Fut: Future<Output = Vec<Result<O>>>,
{
    let mut carried: Option<Queued<P, O>> = None;
    loop {
        let first = match carried.take() {
            Some(queued) => queued,
            None => match receiver.recv().await {
                Some(queued) => queued,
                None => return,
            },
        };
        let mut items = first.items;
        let mut group = vec![first];
        while items < GROUP_ITEMS {
            let Ok(next) = receiver.try_recv() else { break };
            if items + next.items > GROUP_ITEMS {
                carried = Some(next);
                break;
            }
            items += next.items;
            group.push(next);
        }
        let (parts, answers): (Vec<P>, Vec<_>) =
            group.into_iter().map(|q| (q.part, q.answer)).unzip();
        let count = parts.len();
        let mut results = write(parts).await.into_iter();
        for answer in answers {
            let result = results.next().unwrap_or_else(|| {
                Err(StoreError::Corrupt {
                    table: "group commit",
                    reason: format!("a group of {count} writes answered fewer"),
                })
            });
            // The caller may have stopped waiting; its write stands all the same.
            let _ = answer.send(result);
        }
    }
}

/// Runs the writer on a thread with a runtime of its own, on the CPU of the connection's
/// thread (see `writer_cpu`), until its queue closes with the store. Without a runtime or a
/// thread it never runs: the queue's receiver goes with it, and every write is refused as at
/// shutdown instead of waiting for ever.
fn on_own_thread(writer: impl Future<Output = ()> + Send + 'static) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("group-commit".into())
        .spawn(move || {
            crate::writer_cpu::pin_this_thread();
            runtime.block_on(writer)
        });
}

fn stopped() -> StoreError {
    StoreError::Config("the store is shutting down".into())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Writes that arrive while a group is being written share the next group, and each
    /// caller hears its own outcome, in its own order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_share_groups_and_get_their_own_answers() {
        writes_share_groups_and_get_their_own_answers(false).await;
    }

    /// The same with the writer on a thread and runtime of its own, as on SQLite.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_writer_on_its_own_thread_shares_groups_and_answers_each_caller() {
        writes_share_groups_and_get_their_own_answers(true).await;
    }

    async fn writes_share_groups_and_get_their_own_answers(own_thread: bool) {
        let groups = Arc::new(AtomicUsize::new(0));
        let commit: GroupCommit<Vec<u32>, Vec<u32>> = GroupCommit::default();
        let mut callers = Vec::new();
        for caller in 0..64u32 {
            let (commit, groups) = (commit.clone(), groups.clone());
            callers.push(tokio::spawn(async move {
                let part = vec![caller, caller + 1000];
                let result = commit
                    .write(part, 2, own_thread, move || {
                        move |parts: Vec<Vec<u32>>| {
                            let groups = groups.clone();
                            async move {
                                groups.fetch_add(1, Ordering::SeqCst);
                                // A commit takes a while: the others queue up behind it.
                                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                                parts
                                    .into_iter()
                                    .map(|p| {
                                        if p[0] == 13 {
                                            Err(StoreError::Config("refused".into()))
                                        } else {
                                            Ok(p.iter().map(|i| i * 2).collect())
                                        }
                                    })
                                    .collect()
                            }
                        }
                    })
                    .await;
                (caller, result)
            }));
        }
        for caller in callers {
            let (n, result) = caller.await.expect("caller");
            match result {
                Ok(outcomes) => assert_eq!(outcomes, vec![n * 2, (n + 1000) * 2]),
                Err(e) => {
                    assert_eq!(n, 13, "only caller 13 is refused");
                    assert_eq!(e.to_string(), "refused");
                }
            }
        }
        let groups = groups.load(Ordering::SeqCst);
        assert!(
            groups < 64,
            "64 writers made {groups} groups: nothing was shared"
        );
    }

    /// A writer on a thread of its own runs on the writers' CPU only (see `writer_cpu`).
    #[cfg(target_os = "linux")]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_writer_on_its_own_thread_runs_on_the_writers_cpu() {
        let commit: GroupCommit<(), Vec<usize>> = GroupCommit::default();
        let cpus = commit
            .write((), 1, true, || {
                |parts: Vec<()>| async move {
                    let allowed = rustix::thread::sched_getaffinity(None).expect("affinity");
                    let cpus: Vec<usize> = crate::writer_cpu::cpus_in(&allowed).collect();
                    parts.iter().map(|_| Ok(cpus.clone())).collect()
                }
            })
            .await
            .expect("written");
        match crate::writer_cpu::cpu() {
            Some(cpu) => assert_eq!(cpus, vec![cpu]),
            // One CPU: nothing to choose.
            None => assert_eq!(cpus.len(), 1),
        }
    }

    /// A group stops at the item limit: a write that would overflow it starts the next one.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_holds_at_most_the_item_limit() {
        let sizes = Arc::new(std::sync::Mutex::new(Vec::new()));
        let commit: GroupCommit<Vec<u8>, ()> = GroupCommit::default();
        let mut callers = Vec::new();
        for _ in 0..6 {
            let (commit, sizes) = (commit.clone(), sizes.clone());
            callers.push(tokio::spawn(async move {
                let part = vec![0; GROUP_ITEMS / 2];
                commit
                    .write(part, GROUP_ITEMS / 2, false, move || {
                        move |parts: Vec<Vec<u8>>| {
                            let sizes = sizes.clone();
                            async move {
                                let items: usize = parts.iter().map(Vec::len).sum();
                                sizes.lock().expect("sizes").push(items);
                                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                                parts.iter().map(|_| Ok(())).collect()
                            }
                        }
                    })
                    .await
            }));
        }
        for caller in callers {
            caller.await.expect("caller").expect("written");
        }
        let sizes = sizes.lock().expect("sizes");
        assert_eq!(sizes.iter().sum::<usize>(), 3 * GROUP_ITEMS);
        assert!(sizes.iter().all(|&s| s <= GROUP_ITEMS), "{sizes:?}");
    }
}
