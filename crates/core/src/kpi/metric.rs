//! The survey metrics and the counts of answers every roll-up stores for them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::problem::Problem;

/// A survey metric, each asked with its own question on its own scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Metric {
    /// Net Promoter Score: likelihood to recommend, 0 (not at all) to 10 (extremely).
    Nps,
    /// Customer Satisfaction: 1 (very unsatisfied) to 5 (very satisfied).
    Csat,
    /// Customer Effort Score: agreement with "it was easy to handle my request",
    /// 1 (strongly disagree) to 7 (strongly agree), so higher means less effort.
    Ces,
}

impl Metric {
    /// Every metric, in the order interfaces list them.
    pub const ALL: [Metric; 3] = [Metric::Nps, Metric::Csat, Metric::Ces];

    /// The stable name used in URLs, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Nps => "nps",
            Metric::Csat => "csat",
            Metric::Ces => "ces",
        }
    }

    /// The metric named `name`, ignoring case and surrounding white space.
    pub fn parse(name: &str) -> Option<Metric> {
        let name = name.trim();
        Metric::ALL
            .into_iter()
            .find(|metric| metric.as_str().eq_ignore_ascii_case(name))
    }

    /// The lowest and highest score an answer may give, both allowed.
    pub fn scale(self) -> (u8, u8) {
        match self {
            Metric::Nps => (0, 10),
            Metric::Csat => (1, 5),
            Metric::Ces => (1, 7),
        }
    }

    /// The range of the metric's value, both ends possible: NPS in points, CSAT in percent,
    /// CES as a mean score.
    pub fn value_range(self) -> (f64, f64) {
        match self {
            Metric::Nps => (-100.0, 100.0),
            Metric::Csat => (0.0, 100.0),
            Metric::Ces => (1.0, 7.0),
        }
    }

    /// Whether a score is a detractor's: NPS 0–6 (Reichheld's detractors, as the NPS in
    /// `estimate.rs` counts them), CSAT 1–2 (the bottom-two box of the 1–5 scale), CES 1–2
    /// (the two lowest of 1 "very difficult" to 7 "very easy": the scale runs towards less
    /// effort, so the unhappy end is the low one).
    pub fn is_detractor(self, score: u8) -> bool {
        match self {
            Metric::Nps => score <= 6,
            Metric::Csat | Metric::Ces => (1..=2).contains(&score),
        }
    }

    /// The score if it lies on the metric's scale, the allowed range otherwise.
    pub fn check_score(self, score: i64) -> Result<u8, Problem> {
        let (min, max) = self.scale();
        u8::try_from(score)
            .ok()
            .filter(|score| (min..=max).contains(score))
            .ok_or(Problem::OutOfRange {
                min: i64::from(min),
                max: i64::from(max),
            })
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Counts of answers per score 0..=10: the mergeable unit every roll-up stores.
///
/// One shape serves all metrics because every scale fits into 0..=10; a CSAT tally simply
/// leaves `counts[0]` and `counts[6..]` at zero. Adding two tallies gives the tally of both
/// samples, so a month is the merge of its days and no answer is needed twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    /// `counts[s]` is the number of answers that gave score `s`.
    pub counts: [u64; 11],
}

impl Tally {
    /// Counts one answer. Callers check scores with [`Metric::check_score`]; a score above 10
    /// is ignored rather than allowed to panic.
    pub fn add(&mut self, score: u8) {
        if let Some(count) = self.counts.get_mut(usize::from(score)) {
            *count = count.saturating_add(1);
        }
    }

    /// Adds the answers of `other`, as if they had been counted here.
    pub fn merge(&mut self, other: &Tally) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine = mine.saturating_add(theirs);
        }
    }

    /// The number of answers.
    pub fn n(&self) -> u64 {
        self.counts
            .iter()
            .fold(0, |total, count| total.saturating_add(*count))
    }

    /// The tally of these scores; scores above 10 are ignored as in [`Tally::add`].
    pub fn from_scores(scores: impl IntoIterator<Item = u8>) -> Tally {
        let mut tally = Tally::default();
        for score in scores {
            tally.add(score);
        }
        tally
    }

    /// The number of answers that gave exactly `score`.
    pub fn count(&self, score: u8) -> u64 {
        self.counts.get(usize::from(score)).copied().unwrap_or(0)
    }

    /// The number of answers with a score from `low` to `high`, both included.
    pub fn count_between(&self, low: u8, high: u8) -> u64 {
        (low..=high).fold(0, |total, score| total.saturating_add(self.count(score)))
    }

    /// The sum of the scores from `low` to `high`, both included, each counted once per
    /// answer.
    pub fn sum_between(&self, low: u8, high: u8) -> u64 {
        (low..=high).fold(0, |total, score| {
            total.saturating_add(u64::from(score).saturating_mul(self.count(score)))
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn names_round_trip_and_ignore_case() {
        for metric in Metric::ALL {
            assert_eq!(Metric::parse(metric.as_str()), Some(metric));
            assert_eq!(metric.to_string(), metric.as_str());
        }
        assert_eq!(Metric::parse(" NPS "), Some(Metric::Nps));
        assert_eq!(Metric::parse("Csat"), Some(Metric::Csat));
        assert_eq!(Metric::parse("ces2"), None);
        assert_eq!(Metric::parse(""), None);
    }

    #[test]
    fn serde_uses_the_stable_names() {
        assert_eq!(
            serde_json::to_string(&Metric::Csat).ok().as_deref(),
            Some("\"csat\"")
        );
        let parsed: Result<Metric, _> = serde_json::from_str("\"ces\"");
        assert_eq!(parsed.ok(), Some(Metric::Ces));
    }

    #[test]
    fn scores_are_checked_against_the_scale() {
        assert_eq!(Metric::Nps.check_score(0), Ok(0));
        assert_eq!(Metric::Nps.check_score(10), Ok(10));
        assert_eq!(
            Metric::Nps.check_score(11),
            Err(Problem::OutOfRange { min: 0, max: 10 })
        );
        assert_eq!(
            Metric::Csat.check_score(0),
            Err(Problem::OutOfRange { min: 1, max: 5 })
        );
        assert_eq!(Metric::Csat.check_score(5), Ok(5));
        assert_eq!(
            Metric::Ces.check_score(8),
            Err(Problem::OutOfRange { min: 1, max: 7 })
        );
        // Values far outside u8 must not wrap around into the scale: 256 would be 0 as u8.
        assert!(Metric::Nps.check_score(256).is_err());
        assert!(Metric::Nps.check_score(-1).is_err());
        assert!(Metric::Ces.check_score(i64::MIN).is_err());
    }

    #[test]
    fn tally_counts_and_sums() {
        let tally = Tally::from_scores([1, 5, 5, 4, 3]);
        assert_eq!(tally.n(), 5);
        assert_eq!(tally.count(5), 2);
        assert_eq!(tally.count_between(4, 5), 3);
        // 1 + 5 + 5 + 4 + 3 = 18
        assert_eq!(tally.sum_between(1, 7), 18);
    }

    #[test]
    fn a_score_above_ten_is_ignored() {
        let mut tally = Tally::default();
        tally.add(11);
        tally.add(255);
        assert_eq!(tally, Tally::default());
        assert_eq!(tally.count(11), 0);
    }

    fn scores() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..=10, 0..60)
    }

    proptest! {
        #[test]
        fn merge_equals_tallying_the_concatenation(a in scores(), b in scores()) {
            let mut merged = Tally::from_scores(a.iter().copied());
            merged.merge(&Tally::from_scores(b.iter().copied()));
            prop_assert_eq!(merged, Tally::from_scores(a.iter().chain(&b).copied()));
            prop_assert_eq!(merged.n(), (a.len() + b.len()) as u64);
        }

        #[test]
        fn merge_is_commutative(a in scores(), b in scores()) {
            let (ta, tb) = (Tally::from_scores(a), Tally::from_scores(b));
            let mut ab = ta;
            ab.merge(&tb);
            let mut ba = tb;
            ba.merge(&ta);
            prop_assert_eq!(ab, ba);
        }

        #[test]
        fn merge_is_associative(a in scores(), b in scores(), c in scores()) {
            let (ta, tb, tc) = (Tally::from_scores(a), Tally::from_scores(b), Tally::from_scores(c));
            let mut left = ta;
            left.merge(&tb);
            left.merge(&tc);
            let mut right_tail = tb;
            right_tail.merge(&tc);
            let mut right = ta;
            right.merge(&right_tail);
            prop_assert_eq!(left, right);
        }

        #[test]
        fn checked_scores_stay_on_the_scale(score in any::<i64>()) {
            for metric in Metric::ALL {
                let (min, max) = metric.scale();
                match metric.check_score(score) {
                    Ok(checked) => {
                        prop_assert!((min..=max).contains(&checked));
                        prop_assert_eq!(i64::from(checked), score);
                    }
                    Err(_) => prop_assert!(score < i64::from(min) || score > i64::from(max)),
                }
            }
        }
    }
}
