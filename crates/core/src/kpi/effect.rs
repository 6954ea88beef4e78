//! Whether a metric moved between two windows, before and after a change at a touchpoint:
//! the difference of two independent samples with its 95% interval and p-value, and a
//! verdict that never reads noise as an effect.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::estimate::{Estimate, MIN_ANSWERS, estimate};
use super::metric::{Metric, Tally};

/// The significance level of every verdict: a two-sided test at 5%.
const ALPHA: f64 = 0.05;

/// What the comparison of two windows says. Every metric here is better when higher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Verdict {
    /// Higher after, beyond the noise (p < 0.05).
    Better,
    /// Lower after, beyond the noise (p < 0.05).
    Worse,
    /// Both windows have enough answers, and the difference is within the noise.
    NoDetectableChange,
    /// A window has fewer than [`MIN_ANSWERS`] answers: no verdict either way.
    TooFewAnswers,
}

/// The test a difference was judged by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Test {
    /// NPS: the difference of two independent NPS, each with the variance
    /// `(p₊ + p₋ − (p₊ − p₋)²) / n`, against the normal distribution.
    NpsDifference,
    /// CSAT: the two-proportion z-test, pooled under the hypothesis of no change.
    TwoProportionZ,
    /// CES: Welch's t-test, which does not assume equal variances, with Welch–Satterthwaite
    /// degrees of freedom.
    WelchT,
}

/// The difference after − before, in the metric's unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Difference {
    pub value: f64,
    /// The 95% interval of the difference.
    pub low: f64,
    pub high: f64,
    /// The two-sided p-value of the hypothesis that nothing changed.
    pub p_value: f64,
    pub test: Test,
}

/// One metric before and after.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Effect {
    pub metric: Metric,
    /// The window before; `None` without answers.
    pub before: Option<Estimate>,
    /// The window after; `None` without answers.
    pub after: Option<Estimate>,
    /// `None` unless both windows have two answers or more (one answer has no spread).
    pub difference: Option<Difference>,
    pub verdict: Verdict,
}

/// Compares the answers of two windows of one metric.
///
/// The verdict needs [`MIN_ANSWERS`] answers on each side, whatever the p-value: with fewer
/// the standard errors themselves are too uncertain to tell an effect from luck.
pub fn effect(metric: Metric, before: &Tally, after: &Tally) -> Effect {
    let (before_estimate, after_estimate) = (estimate(metric, before), estimate(metric, after));
    let difference = match (&before_estimate, &after_estimate) {
        (Some(b), Some(a)) if b.n >= 2 && a.n >= 2 => Some(match metric {
            Metric::Nps => normal_difference(a, b, a.standard_error.hypot(b.standard_error)),
            Metric::Csat => two_proportions(before, after, a, b),
            Metric::Ces => welch(a, b),
        }),
        _ => None,
    };
    let enough = [&before_estimate, &after_estimate]
        .iter()
        .all(|e| e.is_some_and(|e| e.n >= MIN_ANSWERS));
    let verdict = match difference {
        Some(d) if enough && d.p_value < ALPHA && d.value > 0.0 => Verdict::Better,
        Some(d) if enough && d.p_value < ALPHA && d.value < 0.0 => Verdict::Worse,
        Some(_) if enough => Verdict::NoDetectableChange,
        _ => Verdict::TooFewAnswers,
    };
    Effect {
        metric,
        before: before_estimate,
        after: after_estimate,
        difference,
        verdict,
    }
}

/// The two-sided p-value of `statistic` under the standard normal distribution.
fn normal_p_value(statistic: f64) -> f64 {
    2.0 * (1.0 - Normal::standard().cdf(statistic.abs()))
}

/// `after − before` judged against the normal distribution with standard error `se`.
fn normal_difference(after: &Estimate, before: &Estimate, se: f64) -> Difference {
    let value = after.value - before.value;
    let z = Normal::standard().inverse_cdf(1.0 - ALPHA / 2.0);
    Difference {
        value,
        low: value - z * se,
        high: value + z * se,
        p_value: p_value_of(value, se, normal_p_value),
        test: Test::NpsDifference,
    }
}

/// The p-value of `value / se` by `p`, where a standard error of 0 (every answer alike on
/// both sides) makes any difference certain and none at all a sure "no change".
fn p_value_of(value: f64, se: f64, p: impl Fn(f64) -> f64) -> f64 {
    if se > 0.0 {
        p(value / se)
    } else if value == 0.0 {
        1.0
    } else {
        0.0
    }
}

/// CSAT: the interval from the unpooled standard error, the test from the pooled one.
fn two_proportions(
    before_tally: &Tally,
    after_tally: &Tally,
    after: &Estimate,
    before: &Estimate,
) -> Difference {
    let satisfied = |t: &Tally| t.count_between(4, 5) as f64;
    let (n_before, n_after) = (before.n as f64, after.n as f64);
    let pooled = (satisfied(before_tally) + satisfied(after_tally)) / (n_before + n_after);
    let pooled_se = 100.0 * (pooled * (1.0 - pooled) * (1.0 / n_before + 1.0 / n_after)).sqrt();
    let interval = normal_difference(
        after,
        before,
        after.standard_error.hypot(before.standard_error),
    );
    Difference {
        p_value: p_value_of(interval.value, pooled_se, normal_p_value),
        test: Test::TwoProportionZ,
        ..interval
    }
}

/// CES: Welch's t-test on the two means.
fn welch(after: &Estimate, before: &Estimate) -> Difference {
    let value = after.value - before.value;
    // Each estimate's standard error is s/√n, so its square is s²/n.
    let (va, vb) = (after.standard_error.powi(2), before.standard_error.powi(2));
    let se = (va + vb).sqrt();
    let degrees_of_freedom = (va + vb).powi(2)
        / (va.powi(2) / (after.n - 1) as f64 + vb.powi(2) / (before.n - 1) as f64);
    let Some(t) = (se > 0.0 && degrees_of_freedom.is_finite())
        .then(|| StudentsT::new(0.0, 1.0, degrees_of_freedom).ok())
        .flatten()
    else {
        return Difference {
            value,
            low: value,
            high: value,
            p_value: p_value_of(value, 0.0, |_| 1.0),
            test: Test::WelchT,
        };
    };
    let quantile = t.inverse_cdf(1.0 - ALPHA / 2.0);
    Difference {
        value,
        low: value - quantile * se,
        high: value + quantile * se,
        p_value: 2.0 * (1.0 - t.cdf((value / se).abs())),
        test: Test::WelchT,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A tally with `count` answers of each score given.
    fn tally(counts: &[(u8, u64)]) -> Tally {
        let mut tally = Tally::default();
        for &(score, count) in counts {
            tally.counts[usize::from(score)] = count;
        }
        tally
    }

    fn assert_close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not {expected} (± {tolerance})"
        );
    }
    // Reference values: SciPy 1.17.1 and statsmodels 0.15.0 over the same answers expanded
    // to one score each. NPS: the difference ± norm.ppf(0.975)·√(v₁ + v₂) with
    // v = (p₊ + p₋ − (p₊ − p₋)²)/n and p = 2·norm.sf(|z|); CSAT: proportions_ztest (pooled)
    // and confint_proportions_2indep(method="wald"); CES: ttest_ind(after, before,
    // equal_var=False) and its confidence_interval(0.95).

    #[test]
    fn nps_before_and_after_against_scipy() {
        // Before: 12 promoters, 10 passives, 18 detractors (NPS −15); after: 24, 10, 6 (45).
        let before = tally(&[(10, 6), (9, 6), (8, 5), (7, 5), (5, 10), (2, 8)]);
        let after = tally(&[(10, 14), (9, 10), (8, 6), (7, 4), (6, 3), (3, 3)]);
        let e = effect(Metric::Nps, &before, &after);
        let d = e.difference.unwrap();
        assert_close(d.value, 60.0, 1e-9);
        assert_close(d.low, 25.007_643_704_713_843, 1e-6);
        assert_close(d.high, 94.992_356_295_286_14, 1e-6);
        assert_close(d.p_value, 0.000_777_530_446_940_384_6, 1e-9);
        assert_eq!(d.test, Test::NpsDifference);
        assert_eq!(e.verdict, Verdict::Better);
        assert_eq!((e.before.unwrap().n, e.after.unwrap().n), (40, 40));
    }

    #[test]
    fn csat_before_and_after_against_statsmodels() {
        // Satisfied (4–5): 22 of 40 before, 34 of 42 after.
        let before = tally(&[(5, 10), (4, 12), (3, 8), (2, 6), (1, 4)]);
        let after = tally(&[(5, 20), (4, 14), (3, 4), (2, 2), (1, 2)]);
        let e = effect(Metric::Csat, &before, &after);
        let d = e.difference.unwrap();
        assert_close(d.value, 25.952_380_952_380_95, 1e-9);
        assert_close(d.low, 6.491_596_835_655_258, 1e-6);
        assert_close(d.high, 45.413_165_069_106_64, 1e-6);
        assert_close(d.p_value, 0.011_589_613_477_238_666, 1e-9);
        assert_eq!(d.test, Test::TwoProportionZ);
        assert_eq!(e.verdict, Verdict::Better);
        // The other way round it is worse, by as much.
        let back = effect(Metric::Csat, &after, &before);
        assert_eq!(back.verdict, Verdict::Worse);
        assert_close(back.difference.unwrap().p_value, d.p_value, 1e-12);
    }

    #[test]
    fn ces_before_and_after_against_scipy_welch() {
        let before = tally(&[(1, 3), (2, 5), (3, 8), (4, 10), (5, 6), (6, 4), (7, 2)]);
        let after = tally(&[(3, 2), (4, 6), (5, 12), (6, 14), (7, 8)]);
        let e = effect(Metric::Ces, &before, &after);
        let d = e.difference.unwrap();
        assert_close(d.value, 1.660_401_002_506_265_7, 1e-9);
        // Welch–Satterthwaite: 65.3028 degrees of freedom.
        assert_close(d.low, 1.041_784_142_508_367_2, 1e-6);
        assert_close(d.high, 2.279_017_862_504_164, 1e-6);
        assert_close(d.p_value, 1.165_536_035_672_65e-6, 1e-10);
        assert_eq!(d.test, Test::WelchT);
        assert_eq!(e.verdict, Verdict::Better);
    }

    #[test]
    fn fewer_than_thirty_answers_give_no_verdict_however_large_the_difference() {
        let before = tally(&[(0, 29)]);
        let after = tally(&[(10, 40)]);
        let e = effect(Metric::Nps, &before, &after);
        assert_eq!(e.difference.unwrap().value, 200.0);
        assert_eq!(e.verdict, Verdict::TooFewAnswers);
        // No answers after at all: no difference either.
        let e = effect(Metric::Nps, &before, &Tally::default());
        assert_eq!((e.after, e.difference), (None, None));
        assert_eq!(e.verdict, Verdict::TooFewAnswers);
        // One answer has no spread: no difference is computed from it.
        let e = effect(Metric::Ces, &tally(&[(4, 1)]), &tally(&[(6, 40)]));
        assert_eq!(e.difference, None);
    }

    #[test]
    fn noise_is_no_change() {
        // NPS 10 before, 15 after on 40 answers each: well within the noise.
        let before = tally(&[(10, 10), (9, 6), (8, 12), (3, 12)]);
        let after = tally(&[(10, 11), (9, 6), (8, 13), (3, 10)]);
        let e = effect(Metric::Nps, &before, &after);
        assert!(e.difference.unwrap().p_value > 0.5);
        assert_eq!(e.verdict, Verdict::NoDetectableChange);
        // Every answer alike on both sides: no spread, and nothing changed.
        let same = tally(&[(7, 35)]);
        let e = effect(Metric::Ces, &same, &same);
        let d = e.difference.unwrap();
        assert_eq!((d.value, d.p_value), (0.0, 1.0));
        assert_eq!(e.verdict, Verdict::NoDetectableChange);
        // All alike, but another score after: as certain as it gets.
        let e = effect(Metric::Ces, &same, &tally(&[(2, 35)]));
        assert_eq!(e.difference.unwrap().p_value, 0.0);
        assert_eq!(e.verdict, Verdict::Worse);
    }

    fn counts(metric: Metric) -> impl Strategy<Value = Tally> {
        let (low, high) = metric.scale();
        proptest::collection::vec(0u64..40, usize::from(high - low) + 1).prop_map(move |c| {
            let mut tally = Tally::default();
            for (i, count) in c.into_iter().enumerate() {
                tally.counts[usize::from(low) + i] = count;
            }
            tally
        })
    }

    proptest! {
        /// Swapping the windows negates the difference and keeps its p-value; p-values are
        /// probabilities; for NPS and CES (interval and test from one standard error) a
        /// difference is significant exactly when its interval leaves out 0.
        #[test]
        fn before_and_after_are_symmetric(
            (metric, before, after) in prop_oneof![Just(Metric::Nps), Just(Metric::Csat), Just(Metric::Ces)]
                .prop_flat_map(|m| (Just(m), counts(m), counts(m)))
        ) {
            let forth = effect(metric, &before, &after);
            let back = effect(metric, &after, &before);
            match (forth.difference, back.difference) {
                (Some(f), Some(b)) => {
                    prop_assert!((f.value + b.value).abs() < 1e-9);
                    prop_assert!((f.p_value - b.p_value).abs() < 1e-9);
                    prop_assert!((0.0..=1.0).contains(&f.p_value));
                    prop_assert!(f.low <= f.value && f.value <= f.high);
                    if metric != Metric::Csat && f.low != f.high && (f.p_value - ALPHA).abs() > 1e-6 {
                        prop_assert_eq!(f.p_value < ALPHA, f.low > 0.0 || f.high < 0.0);
                    }
                }
                (None, None) => prop_assert_eq!(forth.verdict, Verdict::TooFewAnswers),
                _ => prop_assert!(false, "a difference one way but not the other"),
            }
            match forth.verdict {
                Verdict::Better => prop_assert_eq!(back.verdict, Verdict::Worse),
                Verdict::Worse => prop_assert_eq!(back.verdict, Verdict::Better),
                v => prop_assert_eq!(back.verdict, v),
            }
        }
    }
}
