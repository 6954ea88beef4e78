//! The threads that write to a SQLite database run on one CPU.
//!
//! A group commit's thread hands each statement to the thread of the driver's connection
//! and waits for the answer, a dozen times a group. Where the two threads run on different
//! CPUs, each hand-off wakes a thread on the other CPU, which is often busy serving HTTP,
//! and waits for it to be scheduled there; on one CPU it is a switch between two threads.
//! One request per HTTP call ran about 40 % faster with the two on one CPU (see
//! docs/benchmarks.md). Writes to SQLite are one at a time whatever CPU they run on, so the
//! writer loses nothing by staying on one; everything else runs wherever the system puts it.
//!
//! The CPU is the last one the process may use (CPU 0 often takes more of the interrupts).
//! With one CPU, or where the system does not let a thread choose, nothing is pinned.

#[cfg(target_os = "linux")]
use std::sync::LazyLock;

/// The CPU the writing threads run on, chosen once from the CPUs the process may use.
#[cfg(target_os = "linux")]
static WRITER_CPU: LazyLock<Option<usize>> = LazyLock::new(|| {
    let allowed = rustix::thread::sched_getaffinity(None).ok()?;
    if allowed.count() < 2 {
        return None;
    }
    cpus_in(&allowed).next_back()
});

/// The CPUs a set holds, lowest first.
#[cfg(target_os = "linux")]
pub(crate) fn cpus_in(set: &rustix::thread::CpuSet) -> impl DoubleEndedIterator<Item = usize> + '_ {
    (0..rustix::thread::CpuSet::MAX_CPU).filter(|&cpu| set.is_set(cpu))
}

/// The CPU the writing threads run on, if they are pinned.
#[cfg(all(test, target_os = "linux"))]
pub(crate) fn cpu() -> Option<usize> {
    *WRITER_CPU
}

/// Pins the calling thread to the writers' CPU. A thread that cannot be pinned runs where
/// the system puts it: slower, never wrong.
pub(crate) fn pin_this_thread() {
    #[cfg(target_os = "linux")]
    if let Some(cpu) = *WRITER_CPU {
        let mut only = rustix::thread::CpuSet::new();
        only.set(cpu);
        let _ = rustix::thread::sched_setaffinity(None, &only);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use rustix::thread::sched_getaffinity;

    use super::*;

    /// A pinned thread may run on the writers' CPU only, the last of those the process may
    /// use; with one CPU it stays where it was.
    #[test]
    fn a_pinned_thread_runs_on_the_last_cpu_only() {
        let allowed = sched_getaffinity(None).expect("the CPUs this thread may use");
        let after = std::thread::spawn(|| {
            pin_this_thread();
            sched_getaffinity(None).expect("the CPUs the pinned thread may use")
        })
        .join()
        .expect("the thread ends");
        if allowed.count() < 2 {
            assert_eq!(after.count(), allowed.count());
        } else {
            let last = cpus_in(&allowed).next_back().expect("a CPU");
            assert_eq!(after.count(), 1);
            assert!(after.is_set(last));
        }
    }
}
