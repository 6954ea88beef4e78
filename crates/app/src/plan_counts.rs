//! The plan's counts over the last [`WINDOW_DAYS`](crate::actions::WINDOW_DAYS) days: at each set of touchpoints its
//! actions concern, the requests and answers there and their customers and the requests
//! still open; per touchpoint, the first-response targets met and missed; and for an open
//! retire action, who relies on its touchpoints and their segments' share.
//!
//! Distinct customers over a sliding window do not add up from the daily roll-ups the KPIs
//! read, so these are counted from the requests and answers themselves: at millions of rows
//! that takes seconds, where everything else of the plan (the actions, the KPI roll-ups, the
//! findings) takes milliseconds. [`PlanCounts`] therefore keeps one counting for a set time
//! (the server's `--plan-counts-max-age`): a plan viewed within it shows the counts of that
//! moment at once, and says when that was. A set of touchpoints the kept counting lacks (a
//! new action's) is counted on the call, for the same moment. While the plan is being
//! viewed, the server counts again in the background before the kept counting ages out. The
//! confirmation a retirement needs is never taken from here: it counts at the moment of the
//! move.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::stream::{self, StreamExt, TryStreamExt};
use jiff::{SignedDuration, Timestamp};
use touchpoints_core::action_plan::Reliance;
use touchpoints_store::{Store, StoredAction, TargetCount, TouchpointUsage};

use crate::actions::{SegmentShare, reliance_now, retires, window_start};
use crate::{CONCURRENT_READS, Result};

/// A kept counting is counted again in the background only while someone viewed the plan
/// within this time; an unviewed plan costs nothing, and its next view counts.
pub const VIEWED_RECENTLY: SignedDuration = SignedDuration::from_mins(15);

/// What one counting found, all of it for the window up to `at`.
#[derive(Debug, Clone)]
pub struct Counting {
    pub at: Timestamp,
    /// Per touchpoint: requests whose first-response target is decided, and those late.
    pub targets: HashMap<i64, TargetCount>,
    /// Per set of touchpoints (sorted as the action names them).
    pub sets: HashMap<Vec<i64>, SetCounts>,
}

/// What was counted at one set of touchpoints.
#[derive(Debug, Clone, Default)]
pub struct SetCounts {
    pub usage: TouchpointUsage,
    /// Counted for the sets of open retire actions only.
    pub retire: Option<RetireCounts>,
}

/// Who relies on a set of touchpoints a retirement would take away.
#[derive(Debug, Clone, Default)]
pub struct RetireCounts {
    pub reliance: Reliance,
    pub segments: Vec<SegmentShare>,
}

/// The sets a plan over `actions` needs counted: every action's, and for the open retire
/// actions' sets who relies on them.
struct Needs {
    usage: BTreeSet<Vec<i64>>,
    retire: BTreeSet<Vec<i64>>,
}

impl Needs {
    fn of(actions: &[StoredAction]) -> Needs {
        let set = |a: &StoredAction| a.fields.touchpoint_ids.clone();
        Needs {
            usage: actions.iter().map(set).collect(),
            retire: actions.iter().filter(|a| retires(a)).map(set).collect(),
        }
    }

    /// What `counting` lacks of these needs.
    fn missing_from(&self, counting: &Counting) -> Needs {
        Needs {
            usage: self
                .usage
                .iter()
                .filter(|ids| !counting.sets.contains_key(*ids))
                .cloned()
                .collect(),
            retire: self
                .retire
                .iter()
                .filter(|ids| counting.sets.get(*ids).is_none_or(|s| s.retire.is_none()))
                .cloned()
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.usage.is_empty() && self.retire.is_empty()
    }
}

/// The counting kept between plans, and when a plan last asked for it.
#[derive(Default)]
struct Kept {
    counting: Option<Arc<Counting>>,
    viewed_at: Option<Timestamp>,
}

/// The plan's counts, kept for `max_age` (none: every plan counts afresh).
pub struct PlanCounts {
    max_age: SignedDuration,
    kept: Mutex<Kept>,
    /// Held while a counting that will be kept runs, so that the views arriving meanwhile
    /// wait for it and take its result instead of each counting the same again.
    counting: tokio::sync::Mutex<()>,
}

impl PlanCounts {
    pub fn new(max_age: Duration) -> PlanCounts {
        PlanCounts {
            max_age: SignedDuration::try_from(max_age).unwrap_or(SignedDuration::MAX),
            kept: Mutex::default(),
            counting: tokio::sync::Mutex::default(),
        }
    }

    /// How long a counting is kept.
    pub fn max_age(&self) -> Duration {
        Duration::try_from(self.max_age).unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn keeps(&self) -> bool {
        self.max_age > SignedDuration::ZERO
    }

    /// How old `counting` is at `now`; none when the clock went back since: such a counting
    /// is not trusted to be as young as it looks.
    fn age(counting: &Counting, now: Timestamp) -> Option<SignedDuration> {
        Some(now.duration_since(counting.at)).filter(|age| !age.is_negative())
    }

    /// The kept counting, while it is younger than the maximum age at `now`.
    fn fresh(&self, now: Timestamp) -> Option<Arc<Counting>> {
        self.lock()
            .counting
            .clone()
            .filter(|c| Self::age(c, now).is_some_and(|age| age < self.max_age))
    }

    /// Keeps `counting`; called with `counting` locked, so no other counting can end in
    /// between and be undone.
    fn keep(&self, counting: &Arc<Counting>) {
        self.lock().counting = Some(counting.clone());
    }

    /// The counts a plan over `actions` needs at `now`: the kept counting while it is younger
    /// than the maximum age, with what it lacks counted for its moment; otherwise a counting
    /// at `now`.
    pub async fn for_actions(
        &self,
        store: &dyn Store,
        actions: &[StoredAction],
        now: Timestamp,
    ) -> Result<Arc<Counting>> {
        let needs = Needs::of(actions);
        if !self.keeps() {
            return Ok(Arc::new(count(store, &needs, now).await?));
        }
        self.lock().viewed_at = Some(now);
        if let Some(kept) = self.fresh(now)
            && needs.missing_from(&kept).is_empty()
        {
            return Ok(kept);
        }
        let _counting = self.counting.lock().await;
        // Another view or the worker may have counted while this one waited.
        let Some(kept) = self.fresh(now) else {
            let counting = Arc::new(count(store, &needs, now).await?);
            self.keep(&counting);
            return Ok(counting);
        };
        let missing = needs.missing_from(&kept);
        if missing.is_empty() {
            return Ok(kept);
        }
        let mut counting = Counting::clone(&kept);
        count_sets(store, &missing, kept.at, &mut counting.sets).await?;
        let counting = Arc::new(counting);
        self.keep(&counting);
        Ok(counting)
    }

    /// Counts afresh at `now` when the kept counting is past half its age and a plan was
    /// viewed in the last [`VIEWED_RECENTLY`]; answers whether it did. The server's worker
    /// calls this now and then, so that a viewer rarely waits for a counting. A counting
    /// that runs already (a view's) is not doubled.
    pub async fn refresh_if_due(&self, store: &dyn Store, now: Timestamp) -> Result<bool> {
        let due = {
            let kept = self.lock();
            self.keeps()
                && kept
                    .viewed_at
                    .is_some_and(|at| now.duration_since(at) < VIEWED_RECENTLY)
                && kept
                    .counting
                    .as_ref()
                    .is_none_or(|c| Self::age(c, now).is_none_or(|age| age >= self.max_age / 2))
        };
        if !due {
            return Ok(false);
        }
        let Ok(_counting) = self.counting.try_lock() else {
            return Ok(false);
        };
        let actions = store.actions().await?;
        let counting = Arc::new(count(store, &Needs::of(&actions), now).await?);
        self.keep(&counting);
        Ok(true)
    }
}

/// Everything `needs` asks for, counted for the window up to `at`.
async fn count(store: &dyn Store, needs: &Needs, at: Timestamp) -> Result<Counting> {
    let targets = store
        .first_response_targets(window_start(at), at, at)
        .await?;
    let mut sets = HashMap::new();
    count_sets(store, needs, at, &mut sets).await?;
    Ok(Counting { at, targets, sets })
}

/// Counts the sets of `needs` for the window up to `at` into `sets`: the usage of
/// `needs.usage`, who relies on `needs.retire`; each set once, a few at a time.
async fn count_sets(
    store: &dyn Store,
    needs: &Needs,
    at: Timestamp,
    sets: &mut HashMap<Vec<i64>, SetCounts>,
) -> Result<()> {
    let since = window_start(at);
    // Owned keys: a stream's closure over borrowed ones would not be `Send` for the router.
    let usages: Vec<(Vec<i64>, TouchpointUsage)> = stream::iter(needs.usage.iter().cloned())
        .map(|ids| async move {
            let usage = store.touchpoint_usage(&ids, since, at).await?;
            Ok::<_, crate::AppError>((ids, usage))
        })
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await?;
    for (ids, usage) in usages {
        sets.entry(ids).or_default().usage = usage;
    }
    let mut shares = segment_shares(store, &needs.retire, since, at).await?;
    let reliances: Vec<(Vec<i64>, Reliance)> = stream::iter(needs.retire.iter().cloned())
        .map(|ids| async move {
            let reliance = reliance_now(store, &ids, at).await?;
            Ok::<_, crate::AppError>((ids, reliance))
        })
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await?;
    for (ids, reliance) in reliances {
        let segments = shares.remove(&ids).unwrap_or_default();
        sets.entry(ids).or_default().retire = Some(RetireCounts { reliance, segments });
    }
    Ok(())
}

/// For each set of retiring touchpoints, the saved segments whose members had contacts from
/// `since` until `now`, with how many of them were at these touchpoints. The customers' facts
/// are read once, and only when something retires and a segment exists.
async fn segment_shares(
    store: &dyn Store,
    retiring: &BTreeSet<Vec<i64>>,
    since: Timestamp,
    now: Timestamp,
) -> Result<HashMap<Vec<i64>, Vec<SegmentShare>>> {
    let mut shares = HashMap::new();
    if retiring.is_empty() {
        return Ok(shares);
    }
    let segments = store.segments().await?;
    if segments.is_empty() {
        return Ok(shares);
    }
    let facts = store.customer_facts().await?;
    let mut members = Vec::with_capacity(segments.len());
    for segment in &segments {
        // A stored segment was checked when saved; one the core reads otherwise now counts
        // no one rather than failing the plan.
        let ids: Vec<i64> = match segment.fields.selection() {
            Ok(selection) => facts
                .iter()
                .filter(|c| selection.holds(c, now))
                .map(|c| c.id)
                .collect(),
            Err(_) => Vec::new(),
        };
        members.push(ids);
    }
    for ids in retiring {
        let mut list = Vec::new();
        for (segment, members) in segments.iter().zip(&members) {
            let (here, contacts) = store.members_contacts(members, ids, since, now).await?;
            if contacts > 0 {
                list.push(SegmentShare {
                    segment_id: segment.id,
                    name: segment.fields.name.clone(),
                    contacts,
                    here,
                });
            }
        }
        shares.insert(ids.clone(), list);
    }
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + second).expect("an instant")
    }

    async fn store() -> (tempfile::TempDir, Arc<dyn Store>) {
        let dir = tempfile::tempdir().expect("a folder");
        let url = format!("sqlite://{}/plan.db", dir.path().display());
        let store = touchpoints_store::open(&url).await.expect("a store");
        (dir, store)
    }

    /// When the counting a plan viewed at `second` uses was made.
    async fn viewed(counts: &PlanCounts, store: &dyn Store, second: i64) -> Timestamp {
        counts
            .for_actions(store, &[], at(second))
            .await
            .expect("counts")
            .at
    }

    async fn renews(counts: &PlanCounts, store: &dyn Store, second: i64) -> bool {
        counts
            .refresh_if_due(store, at(second))
            .await
            .expect("a renewal")
    }

    #[tokio::test]
    async fn a_counting_is_kept_for_its_age_and_renewed_only_while_the_plan_is_viewed() {
        let (_dir, store) = store().await;
        let store = store.as_ref();
        let counts = PlanCounts::new(Duration::from_secs(300));
        // Nobody viewed the plan: nothing to renew.
        assert!(!renews(&counts, store, 0).await);
        assert_eq!(viewed(&counts, store, 0).await, at(0));
        // Kept while younger than five minutes.
        assert_eq!(viewed(&counts, store, 299).await, at(0));
        // Renewed in the background from half its age on.
        assert!(!renews(&counts, store, 149).await);
        assert!(renews(&counts, store, 150).await);
        assert_eq!(viewed(&counts, store, 449).await, at(150));
        // Counted on the view once it aged out.
        assert_eq!(viewed(&counts, store, 450).await, at(450));
        // A quarter of an hour after the last view the plan is left alone.
        assert!(!renews(&counts, store, 450 + 15 * 60).await);
        assert!(renews(&counts, store, 450 + 15 * 60 - 1).await);
    }

    #[tokio::test]
    async fn a_counting_from_a_clock_that_went_back_is_counted_again() {
        let (_dir, store) = store().await;
        let store = store.as_ref();
        let counts = PlanCounts::new(Duration::from_secs(300));
        assert_eq!(viewed(&counts, store, 100).await, at(100));
        assert_eq!(viewed(&counts, store, 50).await, at(50));
        // Kept again from then on, and a counting ahead of the clock is renewed.
        assert_eq!(viewed(&counts, store, 60).await, at(50));
        assert_eq!(viewed(&counts, store, 200).await, at(50));
        assert!(renews(&counts, store, 40).await);
        assert_eq!(viewed(&counts, store, 41).await, at(40));
    }

    #[tokio::test]
    async fn without_an_age_every_plan_counts_and_nothing_is_renewed() {
        let (_dir, store) = store().await;
        let store = store.as_ref();
        let counts = PlanCounts::new(Duration::ZERO);
        assert_eq!(viewed(&counts, store, 0).await, at(0));
        assert_eq!(viewed(&counts, store, 1).await, at(1));
        assert!(!renews(&counts, store, 2).await);
    }
}
