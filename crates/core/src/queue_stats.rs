//! Response times and target compliance of the queue, as the manager view shows them per
//! channel and touchpoint: median and 90th percentile of the time to the first response, and
//! the share of requests that met their first-response and resolution targets.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

/// One request as the statistics see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    pub channel: String,
    pub touchpoint_id: Option<i64>,
    pub received_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// The targets; `None` where no SLA policy applies or the clock is paused.
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
}

/// Whether a target was met: `None` while it can still be met (or there is none).
pub fn met(done: Option<Timestamp>, due: Option<Timestamp>, now: Timestamp) -> Option<bool> {
    let due = due?;
    match done {
        Some(at) => Some(at <= due),
        None if now > due => Some(false),
        None => None,
    }
}

/// The figures of one group of requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub requests: u64,
    pub responded: u64,
    /// Minutes from receipt to first response (wall-clock time).
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    /// Share (0 to 1) of decided first-response targets that were met.
    pub first_response_compliance: Option<f64>,
    pub resolution_compliance: Option<f64>,
    /// Targets missed, first response and resolution together.
    pub breached: u64,
}

/// The `p`-quantile (0 < p ≤ 1) by the nearest-rank method: the smallest value with at least
/// `p` of the values at or below it. `sorted` must be ascending.
pub fn nearest_rank(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(p > 0.0 && p <= 1.0) {
        return None;
    }
    let n = sorted.len() as f64;
    // Ranks are 1-based; the float product of small counts is exact enough.
    let rank = (p * n).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// The median: the middle value, or the mean of the two middle ones.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    })
}

fn share(met: u64, missed: u64) -> Option<f64> {
    let total = met + missed;
    (total > 0).then(|| met as f64 / total as f64)
}

/// Summarises a group of requests at `now`.
pub fn summarize<'a>(
    records: impl IntoIterator<Item = &'a ResponseRecord>,
    now: Timestamp,
) -> Summary {
    let mut minutes = Vec::new();
    let mut summary = Summary::default();
    let (mut first_met, mut first_missed, mut res_met, mut res_missed) = (0, 0, 0, 0);
    for r in records {
        summary.requests += 1;
        if let Some(at) = r.first_response_at {
            summary.responded += 1;
            minutes.push(at.duration_since(r.received_at).as_secs_f64() / 60.0);
        }
        match met(r.first_response_at, r.first_response_due, now) {
            Some(true) => first_met += 1,
            Some(false) => first_missed += 1,
            None => {}
        }
        match met(r.resolved_at, r.resolution_due, now) {
            Some(true) => res_met += 1,
            Some(false) => res_missed += 1,
            None => {}
        }
    }
    minutes.sort_by(f64::total_cmp);
    summary.median_minutes = median(&minutes);
    summary.p90_minutes = nearest_rank(&minutes, 0.9);
    summary.first_response_compliance = share(first_met, first_missed);
    summary.resolution_compliance = share(res_met, res_missed);
    summary.breached = first_missed + res_missed;
    summary
}

/// Summaries per key (channel, touchpoint, …), in key order.
pub fn summarize_by<K: Ord>(
    records: &[ResponseRecord],
    key: impl Fn(&ResponseRecord) -> K,
    now: Timestamp,
) -> BTreeMap<K, Summary> {
    let mut groups: BTreeMap<K, Vec<&ResponseRecord>> = BTreeMap::new();
    for r in records {
        groups.entry(key(r)).or_default().push(r);
    }
    groups
        .into_iter()
        .map(|(k, rs)| (k, summarize(rs, now)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;
    use proptest::prelude::*;

    fn at(minute: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_mins(minute)
    }

    fn record(responded: Option<i64>, due: Option<i64>) -> ResponseRecord {
        ResponseRecord {
            channel: "email".into(),
            touchpoint_id: None,
            received_at: at(0),
            first_response_at: responded.map(at),
            resolved_at: None,
            first_response_due: due.map(at),
            resolution_due: None,
        }
    }

    #[test]
    fn median_and_p90_of_known_values() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(median(&values), Some(5.5));
        assert_eq!(nearest_rank(&values, 0.9), Some(9.0));
        assert_eq!(nearest_rank(&values, 1.0), Some(10.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn compliance_counts_decided_targets_only() {
        let records = [
            record(Some(30), Some(60)),
            record(Some(90), Some(60)),
            // Still open, due later: undecided.
            record(None, Some(500)),
            // Still open and overdue: missed.
            record(None, Some(100)),
            // No target.
            record(Some(10), None),
        ];
        let s = summarize(&records, at(200));
        assert_eq!(s.requests, 5);
        assert_eq!(s.responded, 3);
        assert_eq!(s.median_minutes, Some(30.0));
        assert_eq!(s.first_response_compliance, Some(1.0 / 3.0));
        assert_eq!(s.breached, 2);
    }

    proptest! {
        #[test]
        fn quantiles_lie_within_the_values(mut values in prop::collection::vec(0.0f64..1e6, 1..200), p in 0.01f64..1.0) {
            values.sort_by(f64::total_cmp);
            let q = nearest_rank(&values, p).expect("some");
            prop_assert!(values[0] <= q && q <= values[values.len() - 1]);
            let at_or_below = values.iter().filter(|v| **v <= q).count() as f64;
            prop_assert!(at_or_below >= p * values.len() as f64 - 1e-9);
            let m = median(&values).expect("some");
            prop_assert!(values[0] <= m && m <= values[values.len() - 1]);
        }

        #[test]
        fn groups_add_up_to_the_whole(dues in prop::collection::vec((0i64..100, prop::option::of(0i64..100), any::<bool>()), 0..50)) {
            let records: Vec<ResponseRecord> = dues
                .iter()
                .map(|(due, responded, email)| ResponseRecord {
                    channel: if *email { "email".into() } else { "phone".into() },
                    ..record(*responded, Some(*due))
                })
                .collect();
            let whole = summarize(&records, at(50));
            let parts = summarize_by(&records, |r| r.channel.clone(), at(50));
            prop_assert_eq!(parts.values().map(|s| s.requests).sum::<u64>(), whole.requests);
            prop_assert_eq!(parts.values().map(|s| s.breached).sum::<u64>(), whole.breached);
        }
    }
}
