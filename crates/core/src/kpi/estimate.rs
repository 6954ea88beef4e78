//! A metric's value from a tally, with its standard error and a 95% interval, and whether a
//! change between two periods is larger than the noise.

use serde::Serialize;

use super::metric::{Metric, Tally};

/// The smallest number of answers for which a value is not flagged as uncertain.
pub const MIN_ANSWERS: u64 = 30;

/// The two-sided 95% quantile of the standard normal distribution, rounded as textbooks and
/// survey software round it, so our intervals match theirs.
const Z_95: f64 = 1.96;

/// A metric's value for one sample of answers, and how sure it is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    /// NPS in points (-100..=100), CSAT in percent (0..=100), CES as the mean score (1..=7).
    pub value: f64,
    /// The standard error of `value`, in the same unit.
    pub standard_error: f64,
    /// Lower end of the 95% interval, within the metric's range and never above `value`.
    pub low: f64,
    /// Upper end of the 95% interval, within the metric's range and never below `value`.
    pub high: f64,
    /// The number of answers.
    pub n: u64,
    /// Fewer than [`MIN_ANSWERS`] answers: the value is shown, but flagged as uncertain.
    pub few: bool,
}

/// The metric's value for the answers in `tally`; `None` when there are none.
///
/// Only answers on the metric's scale count (see [`Metric::scale`]); scores are checked when
/// recorded, so in practice that is every answer.
///
/// - **NPS** (Reichheld 2003): percent promoters (9–10) minus percent detractors (0–6). Its
///   standard error is that of a difference of two proportions of one trinomial sample,
///   `100·√((pP + pD − (pP − pD)²) / n)`. The interval is the adjusted Wald interval of
///   Rocks (2016, *The American Statistician* 70(4)), which adds ¾ promoter, ¾ detractor and
///   3 answers in all before applying that formula: the plain Wald interval collapses to a
///   point when every answer is the same, and the adjusted one covers best in Rocks'
///   comparison. Its centre shrinks towards 0 for small samples, so it is widened to include
///   the plain value where needed; a wider interval only covers more often.
/// - **CSAT**: percent of answers that are 4 or 5 ("top-two box"). Standard error
///   `100·√(p(1−p)/n)`; the interval is the Wilson score interval (Wilson 1927), which stays
///   inside 0..=100 and is not degenerate when everyone or no one is satisfied.
/// - **CES**: the mean score. Standard error `s/√n` with `s` the sample standard deviation;
///   the interval uses Student's t with n − 1 degrees of freedom, since `s` itself is
///   estimated. One answer says nothing about the spread: its standard error is reported as 0
///   and its interval is the whole scale. Several identical answers show no spread, so their
///   interval is that score; with fewer than [`MIN_ANSWERS`] they are flagged as `few`.
pub fn estimate(metric: Metric, tally: &Tally) -> Option<Estimate> {
    match metric {
        Metric::Nps => net_promoter_score(tally),
        Metric::Csat => customer_satisfaction(tally),
        Metric::Ces => customer_effort(tally),
    }
}

fn net_promoter_score(tally: &Tally) -> Option<Estimate> {
    let n = tally.count_between(0, 10);
    if n == 0 {
        return None;
    }
    let promoters = tally.count_between(9, 10);
    let detractors = tally.count_between(0, 6);
    // Exactly the expression a database evaluates for `100.0 * (p - d) / n`, so a value
    // computed in SQL agrees with this one to the last digit.
    let value = 100.0 * (promoters as f64 - detractors as f64) / n as f64;
    let standard_error =
        100.0 * trinomial_difference_variance(promoters as f64, detractors as f64, n as f64).sqrt();

    // Rocks' adjustment: ¾ pseudo-answer to each side, 3 in all (so 1.5 to the passives).
    let (low, high) = {
        let adjusted_n = n as f64 + 3.0;
        let adjusted_promoters = promoters as f64 + 0.75;
        let adjusted_detractors = detractors as f64 + 0.75;
        let centre = (adjusted_promoters - adjusted_detractors) / adjusted_n;
        let half_width = Z_95
            * trinomial_difference_variance(adjusted_promoters, adjusted_detractors, adjusted_n)
                .sqrt();
        (100.0 * (centre - half_width), 100.0 * (centre + half_width))
    };
    Some(Estimate::within_range(
        Metric::Nps,
        value,
        standard_error,
        (low, high),
        n,
    ))
}

/// The variance of `pP − pD` for `promoters` and `detractors` out of `n` answers.
fn trinomial_difference_variance(promoters: f64, detractors: f64, n: f64) -> f64 {
    let promoter_share = promoters / n;
    let detractor_share = detractors / n;
    let net = promoter_share - detractor_share;
    // Rounding can push an exact zero slightly below it, and the square root of that is NaN.
    ((promoter_share + detractor_share - net * net) / n).max(0.0)
}

fn customer_satisfaction(tally: &Tally) -> Option<Estimate> {
    percentage(tally.count_between(4, 5), tally.count_between(1, 5))
}

/// `successes` of `n` in percent, as CSAT counts its satisfied answers: standard error
/// `100·√(p(1−p)/n)` and the Wilson score interval. Also the share of customers kept (the
/// retention rate) out of those at a period's start. `None` when `n` is 0.
pub fn percentage(successes: u64, n: u64) -> Option<Estimate> {
    if n == 0 {
        return None;
    }
    let successes = successes.min(n);
    // The same expression as in SQL, for the same reason as the NPS.
    let value = 100.0 * successes as f64 / n as f64;
    let share = successes as f64 / n as f64;
    let standard_error = 100.0 * (share * (1.0 - share) / n as f64).max(0.0).sqrt();
    let (low, high) = wilson_interval(successes, n);
    // CSAT's range is a percentage's: 0 to 100.
    Some(Estimate::within_range(
        Metric::Csat,
        value,
        standard_error,
        (100.0 * low, 100.0 * high),
        n,
    ))
}

/// The Wilson score interval for `successes` out of `n` (n > 0), as shares 0..=1.
fn wilson_interval(successes: u64, n: u64) -> (f64, f64) {
    let n = n as f64;
    let share = successes as f64 / n;
    let z_squared = Z_95 * Z_95;
    let denominator = 1.0 + z_squared / n;
    let centre = (share + z_squared / (2.0 * n)) / denominator;
    let half_width = Z_95 / denominator
        * (share * (1.0 - share) / n + z_squared / (4.0 * n * n))
            .max(0.0)
            .sqrt();
    (centre - half_width, centre + half_width)
}

fn customer_effort(tally: &Tally) -> Option<Estimate> {
    let n = tally.count_between(1, 7);
    if n == 0 {
        return None;
    }
    let sum = tally.sum_between(1, 7);
    // The same expression as SQL's `sum / n` over the integer sum, so both agree exactly.
    let mean = sum as f64 / n as f64;
    if n == 1 {
        let (min, max) = Metric::Ces.value_range();
        return Some(Estimate::within_range(
            Metric::Ces,
            mean,
            0.0,
            (min, max),
            n,
        ));
    }
    // Deviations from the mean per score, rather than Σx² − n·mean², which cancels badly
    // when the answers barely differ.
    let squared_deviations: f64 = (1..=7u8)
        .map(|score| {
            let deviation = f64::from(score) - mean;
            tally.count(score) as f64 * deviation * deviation
        })
        .sum();
    let sample_variance = squared_deviations / (n - 1) as f64;
    let standard_error = (sample_variance / n as f64).sqrt();
    let half_width = student_t_975(n - 1) * standard_error;
    Some(Estimate::within_range(
        Metric::Ces,
        mean,
        standard_error,
        (mean - half_width, mean + half_width),
        n,
    ))
}

/// Student's t quantile for 97.5% (a two-sided 95% interval) with 1 to 30 degrees of freedom,
/// where the approximation below is not yet exact to four decimals.
const STUDENT_T_975: [f64; 30] = [
    12.706204736,
    4.302652730,
    3.182446305,
    2.776445105,
    2.570581836,
    2.446911851,
    2.364624252,
    2.306004135,
    2.262157163,
    2.228138852,
    2.200985160,
    2.178812830,
    2.160368656,
    2.144786688,
    2.131449546,
    2.119905299,
    2.109815578,
    2.100922040,
    2.093024054,
    2.085963447,
    2.079613845,
    2.073873068,
    2.068657610,
    2.063898562,
    2.059538553,
    2.055529439,
    2.051830516,
    2.048407142,
    2.045229642,
    2.042272456,
];

/// Student's t quantile for 97.5% with `degrees_of_freedom` ≥ 1.
fn student_t_975(degrees_of_freedom: u64) -> f64 {
    let table_index = usize::try_from(degrees_of_freedom.saturating_sub(1)).unwrap_or(usize::MAX);
    if let Some(quantile) = STUDENT_T_975.get(table_index) {
        return *quantile;
    }
    // Cornish–Fisher expansion of t around the normal quantile (Abramowitz & Stegun 26.7.5);
    // beyond 30 degrees of freedom it is within 1e-7 of the exact value.
    let z = 1.959_963_984_540_054_f64;
    let v = degrees_of_freedom as f64;
    let z3 = z.powi(3);
    let z5 = z.powi(5);
    let z7 = z.powi(7);
    let z9 = z.powi(9);
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v.powi(2))
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * v.powi(4))
}

impl Estimate {
    /// Clamps the interval to the metric's range and makes it contain the value, which
    /// rounding (or the NPS adjustment) may otherwise leave just outside it.
    fn within_range(
        metric: Metric,
        value: f64,
        standard_error: f64,
        (low, high): (f64, f64),
        n: u64,
    ) -> Estimate {
        let (min, max) = metric.value_range();
        Estimate {
            value,
            standard_error,
            low: low.min(value).clamp(min, max),
            high: high.max(value).clamp(min, max),
            n,
            few: n < MIN_ANSWERS,
        }
    }
}

/// Period-over-period change and whether it is larger than the noise.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Current value minus previous value, in the metric's unit.
    pub delta: f64,
    /// The standard error of `delta`.
    pub standard_error: f64,
    /// The change passes a two-sided z-test at 5%.
    pub significant: bool,
}

/// The change from `previous` to `current`, two independent samples of the same metric.
///
/// Significant when `|delta| > 1.96·√(se₁² + se₂²)`, but never when either sample has fewer
/// than two answers: one answer has no measurable spread, so its standard error of 0 would
/// make any difference look certain.
pub fn change(current: &Estimate, previous: &Estimate) -> Change {
    let delta = current.value - previous.value;
    let standard_error = current.standard_error.hypot(previous.standard_error);
    let significant = current.n >= 2 && previous.n >= 2 && delta.abs() > Z_95 * standard_error;
    Change {
        delta,
        standard_error,
        significant,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 1e-9
    }

    macro_rules! assert_close {
        ($actual:expr, $expected:expr) => {{
            let (actual, expected): (f64, f64) = ($actual, $expected);
            assert!(close(actual, expected), "{actual} is not {expected}");
        }};
    }

    /// A tally with `counts[i]` answers of score `i`.
    fn tally(counts: &[(u8, u64)]) -> Tally {
        let mut tally = Tally::default();
        for &(score, count) in counts {
            tally.counts[usize::from(score)] = count;
        }
        tally
    }

    #[test]
    fn no_answers_give_no_estimate() {
        for metric in Metric::ALL {
            assert_eq!(estimate(metric, &Tally::default()), None);
        }
        // Answers off the CSAT scale do not count: 0 is an NPS score, never a CSAT one.
        assert_eq!(estimate(Metric::Csat, &tally(&[(0, 4)])), None);
    }

    #[test]
    fn nps_of_ten_mixed_answers() {
        // Scores 10 9 9 8 7 6 5 10 3 9: promoters 10 9 9 10 9 = 5, passives 8 7 = 2,
        // detractors 6 5 3 = 3, n = 10.
        let scores = [10, 9, 9, 8, 7, 6, 5, 10, 3, 9];
        let nps = estimate(Metric::Nps, &Tally::from_scores(scores)).unwrap();
        // 100 · (5 − 3) / 10 = 20
        assert_eq!(nps.value, 20.0);
        // pP = 0.5, pD = 0.3: 100 · √((0.5 + 0.3 − 0.2²) / 10) = 100 · √0.076 = 27.568097504…
        assert_close!(nps.standard_error, 27.568_097_504_180_443);
        // Adjusted: n = 13, pP = 5.75/13, pD = 3.75/13, centre = 2/13 = 0.153846…,
        // variance = (9.5/13 − (2/13)²) / 13 = (9.5·13 − 4) / 13³ = 119.5 / 2197,
        // half width = 1.96 · √(119.5/2197) = 0.457114…
        // low = 100 · (0.153846… − 0.457114…) = −30.326834394…, high = 61.096065163…
        assert_close!(nps.low, -30.326_834_394_120_784);
        assert_close!(nps.high, 61.096_065_163_351_554);
        assert_eq!(nps.n, 10);
        assert!(nps.few);
    }

    #[test]
    fn nps_of_all_promoters_is_100_with_an_honest_interval() {
        let nps = estimate(Metric::Nps, &tally(&[(9, 4), (10, 6)])).unwrap();
        assert_eq!(nps.value, 100.0);
        // pP = 1, pD = 0: 1 + 0 − 1² = 0, no spread in the sample.
        assert_eq!(nps.standard_error, 0.0);
        // Adjusted: n = 13, pP = 10.75/13, pD = 0.75/13, centre = 10/13,
        // variance = (11.5/13 − (10/13)²) / 13 = (149.5 − 100) / 2197 = 49.5 / 2197,
        // low = 100 · (10/13 − 1.96 · √(49.5/2197)) = 47.503010944…
        // high = 100 · (0.769 + 0.294) > 100, clamped to 100.
        assert_close!(nps.low, 47.503_010_944_173_96);
        assert_eq!(nps.high, 100.0);
    }

    #[test]
    fn nps_of_all_detractors_mirrors_all_promoters() {
        let nps = estimate(Metric::Nps, &tally(&[(0, 3), (6, 7)])).unwrap();
        assert_eq!(nps.value, -100.0);
        assert_eq!(nps.standard_error, 0.0);
        // The mirror image of ten promoters: −100 … −47.503010944…
        assert_eq!(nps.low, -100.0);
        assert_close!(nps.high, -47.503_010_944_173_96);
    }

    #[test]
    fn nps_of_one_answer_is_flagged_and_its_interval_holds_the_value() {
        let nps = estimate(Metric::Nps, &Tally::from_scores([10])).unwrap();
        assert_eq!(nps.value, 100.0);
        assert!(nps.few);
        // Adjusted: n = 4, pP = 1.75/4, pD = 0.75/4, centre = 0.25,
        // variance = (2.5/4 − 0.25²) / 4 = 0.5625/4, half width = 1.96 · 0.375 = 0.735:
        // −48.5 … 98.5, widened to the value: −48.5 … 100.
        assert_close!(nps.low, -48.5);
        assert_eq!(nps.high, 100.0);
    }

    #[test]
    fn csat_with_the_wilson_interval() {
        // 10 × 5, 6 × 4, 2 × 3, 1 × 2, 1 × 1: satisfied 16 of n = 20.
        let csat = estimate(
            Metric::Csat,
            &tally(&[(5, 10), (4, 6), (3, 2), (2, 1), (1, 1)]),
        )
        .unwrap();
        // 100 · 16 / 20 = 80
        assert_eq!(csat.value, 80.0);
        // 100 · √(0.8 · 0.2 / 20) = 100 · √0.008 = 8.944271909…
        assert_close!(csat.standard_error, 8.944_271_909_999_157);
        // z² = 3.8416, denominator = 1 + 3.8416/20 = 1.19208,
        // centre = (0.8 + 3.8416/40) / 1.19208 = 0.89604 / 1.19208 = 0.751661…,
        // half = 1.96 / 1.19208 · √(0.008 + 3.8416/1600) = 1.644185… · √0.010401 = 0.167684…
        assert_close!(csat.low, 58.397_827_797_424_01);
        assert_close!(csat.high, 91.934_364_672_88);
        assert!(csat.few);
    }

    #[test]
    fn csat_of_one_answer_has_a_wide_interval() {
        let satisfied = estimate(Metric::Csat, &Tally::from_scores([5])).unwrap();
        assert_eq!(satisfied.value, 100.0);
        assert_eq!(satisfied.standard_error, 0.0);
        // Wilson with p = 1: low = n / (n + z²) = 1 / 4.8416 = 0.206543…
        assert_close!(satisfied.low, 20.654_329_147_389_287);
        assert_eq!(satisfied.high, 100.0);
        assert!(satisfied.few);

        let unsatisfied = estimate(Metric::Csat, &Tally::from_scores([2])).unwrap();
        assert_eq!(unsatisfied.value, 0.0);
        // Wilson with p = 0: high = z² / (n + z²) = 3.8416 / 4.8416 = 0.793456…
        assert_eq!(unsatisfied.low, 0.0);
        assert_close!(unsatisfied.high, 79.345_670_852_610_71);
    }

    #[test]
    fn ces_mean_and_standard_error() {
        // Scores 7 6 6 5 4 7 3 6: sum 44, n = 8, mean 5.5.
        let ces = estimate(Metric::Ces, &Tally::from_scores([7, 6, 6, 5, 4, 7, 3, 6])).unwrap();
        assert_eq!(ces.value, 5.5);
        // Deviations 1.5 .5 .5 −.5 −1.5 1.5 −2.5 .5, squared 2.25 .25 .25 .25 2.25 2.25 6.25
        // .25 = 14; s² = 14 / 7 = 2; se = √(2 / 8) = 0.5.
        assert_close!(ces.standard_error, 0.5);
        // t(7) = 2.364624252: 5.5 ± 2.364624252 · 0.5 = 5.5 ± 1.182312126
        assert_close!(ces.low, 4.317_687_874);
        assert_close!(ces.high, 6.682_312_126);
    }

    #[test]
    fn ces_of_one_answer_spans_the_scale() {
        let ces = estimate(Metric::Ces, &Tally::from_scores([6])).unwrap();
        assert_eq!(ces.value, 6.0);
        assert_eq!(ces.standard_error, 0.0);
        assert_eq!((ces.low, ces.high), (1.0, 7.0));
        assert!(ces.few);
    }

    #[test]
    fn thirty_answers_are_enough() {
        let nps = estimate(Metric::Nps, &tally(&[(10, 29)])).unwrap();
        assert!(nps.few);
        let nps = estimate(Metric::Nps, &tally(&[(10, 30)])).unwrap();
        assert!(!nps.few);
    }

    #[test]
    fn estimates_serialise_without_nan() {
        let ces = estimate(Metric::Ces, &Tally::from_scores([4])).unwrap();
        let json = serde_json::to_value(ces).unwrap();
        assert_eq!(json["standard_error"], 0.0);
        assert_eq!(json["few"], true);
    }

    #[test]
    fn student_t_joins_the_table_smoothly() {
        // Exact t(31) = 2.039513446; t(30) from the table = 2.042272456.
        assert!((student_t_975(31) - 2.039_513_446).abs() < 1e-7);
        assert_eq!(student_t_975(30), 2.042_272_456);
        assert!(student_t_975(1_000_000) > 1.959_96 && student_t_975(1_000_000) < 1.96);
    }

    fn estimate_of(value: f64, standard_error: f64, n: u64) -> Estimate {
        Estimate {
            value,
            standard_error,
            low: value,
            high: value,
            n,
            few: n < MIN_ANSWERS,
        }
    }

    /// Two customers kept of three: 66.7 %, Wilson interval by hand
    /// (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n) = 0.2077 … 0.9385.
    #[test]
    fn a_share_of_customers_has_the_interval_of_a_proportion() {
        let kept = percentage(2, 3).unwrap();
        assert!((kept.value - 200.0 / 3.0).abs() < 1e-9);
        assert!((kept.low - 20.77).abs() < 0.01, "{kept:?}");
        assert!((kept.high - 93.85).abs() < 0.01, "{kept:?}");
        assert!((kept.standard_error - 100.0 * (2.0_f64 / 27.0).sqrt()).abs() < 1e-9);
        assert_eq!(kept.n, 3);
        assert!(kept.few);
        assert_eq!(percentage(0, 0), None);
    }

    #[test]
    fn a_change_beyond_the_noise_is_significant() {
        // se = √(5² + 6²) = √61 = 7.810249676; 1.96 · 7.810249676 = 15.308089365 < 20
        let up = change(&estimate_of(40.0, 5.0, 200), &estimate_of(20.0, 6.0, 180));
        assert_eq!(up.delta, 20.0);
        assert_close!(up.standard_error, 7.810_249_675_906_654);
        assert!(up.significant);

        let down = change(&estimate_of(20.0, 6.0, 180), &estimate_of(40.0, 5.0, 200));
        assert_eq!(down.delta, -20.0);
        assert!(down.significant);
    }

    #[test]
    fn a_change_within_the_noise_is_not_significant() {
        // 15 < 15.308089365
        let small = change(&estimate_of(35.0, 5.0, 200), &estimate_of(20.0, 6.0, 180));
        assert_eq!(small.delta, 15.0);
        assert!(!small.significant);
    }

    #[test]
    fn one_answer_never_makes_a_change_significant() {
        // Both standard errors 0, so the test alone would call any difference significant.
        let jump = change(&estimate_of(-100.0, 0.0, 1), &estimate_of(100.0, 0.0, 500));
        assert_eq!(jump.delta, -200.0);
        assert!(!jump.significant);
        let jump = change(&estimate_of(100.0, 0.0, 2), &estimate_of(-100.0, 0.0, 2));
        assert!(jump.significant);
    }

    fn answers(metric: Metric) -> impl Strategy<Value = Vec<u8>> {
        let (min, max) = metric.scale();
        proptest::collection::vec(min..=max, 1..80)
    }

    fn any_metric_with_answers() -> impl Strategy<Value = (Metric, Vec<u8>)> {
        prop_oneof![
            answers(Metric::Nps).prop_map(|scores| (Metric::Nps, scores)),
            answers(Metric::Csat).prop_map(|scores| (Metric::Csat, scores)),
            answers(Metric::Ces).prop_map(|scores| (Metric::Ces, scores)),
        ]
    }

    proptest! {
        #[test]
        fn the_interval_holds_the_value_within_the_range((metric, scores) in any_metric_with_answers()) {
            let n = scores.len() as u64;
            let found = estimate(metric, &Tally::from_scores(scores)).unwrap();
            let (min, max) = metric.value_range();
            prop_assert!(min <= found.low, "{found:?}");
            prop_assert!(found.low <= found.value, "{found:?}");
            prop_assert!(found.value <= found.high, "{found:?}");
            prop_assert!(found.high <= max, "{found:?}");
            prop_assert!(found.standard_error.is_finite() && found.standard_error >= 0.0);
            // Only a mean of identical answers has no spread to show; NPS and CSAT are
            // adjusted so that all-equal answers still leave room.
            if metric != Metric::Ces || n == 1 {
                prop_assert!(found.low < found.high, "degenerate interval {found:?}");
            }
            prop_assert_eq!(found.n, n);
            prop_assert_eq!(found.few, n < MIN_ANSWERS);
        }

        #[test]
        fn nps_is_the_plain_formula_over_the_raw_scores(scores in answers(Metric::Nps)) {
            let promoters = scores.iter().filter(|&&s| s >= 9).count() as i64;
            let detractors = scores.iter().filter(|&&s| s <= 6).count() as i64;
            let n = scores.len() as i64;
            let nps = estimate(Metric::Nps, &Tally::from_scores(scores)).unwrap();
            prop_assert_eq!(nps.value, 100.0 * (promoters - detractors) as f64 / n as f64);
        }

        #[test]
        fn ces_is_the_plain_mean_over_the_raw_scores(scores in answers(Metric::Ces)) {
            let sum: u64 = scores.iter().map(|&s| u64::from(s)).sum();
            let n = scores.len() as u64;
            let ces = estimate(Metric::Ces, &Tally::from_scores(scores)).unwrap();
            prop_assert_eq!(ces.value, sum as f64 / n as f64);
        }

        #[test]
        fn change_is_antisymmetric(
            a in (-100.0f64..100.0, 0.0f64..30.0, 0u64..500),
            b in (-100.0f64..100.0, 0.0f64..30.0, 0u64..500),
        ) {
            let (first, second) = (estimate_of(a.0, a.1, a.2), estimate_of(b.0, b.1, b.2));
            let forward = change(&first, &second);
            let backward = change(&second, &first);
            prop_assert_eq!(forward.delta, -backward.delta);
            prop_assert_eq!(forward.significant, backward.significant);
        }
    }
}
