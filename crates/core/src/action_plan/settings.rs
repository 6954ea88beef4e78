//! What a manager decides about the plan's ranking: the weights of target groups and regions
//! (an action at touchpoints for the core customers counts more), the values each metric is
//! aimed at, and the quick-win rule. Everything else of [`PlanWeights`] keeps its default
//! unless given.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{PlanWeights, QuickWinRule};
use crate::problem::{Problem, Problems, check_text};

/// A target group's or region's weight: from a tenth to five times the impact.
pub const GROUP_WEIGHT_MIN: f64 = 0.1;
pub const GROUP_WEIGHT_MAX: f64 = 5.0;
/// Target groups and regions with a weight, each.
pub const GROUP_WEIGHTS_MAX: usize = 200;
/// A target group's or region's name, as the inventory keeps it.
pub const GROUP_NAME_MAX: usize = 120;
/// The quick win is done within at most this many days (a quarter).
pub const QUICK_WIN_DAYS_MAX: i64 = 90;
/// The quick win's effort, at most, in person-days.
pub const QUICK_WIN_EFFORT_MAX: f64 = 1_000.0;
/// Any one points weight of the score, at most.
pub const POINTS_MAX: f64 = 1_000.0;
/// The customers at which reach counts as 1, at most.
pub const REACH_CUSTOMERS_MAX: i64 = 10_000_000;
/// A person-day's cost, at most: a million euros.
pub const DAY_RATE_CENTS_MAX: i64 = 100_000_000;

/// The plan's settings, as stored and as the API takes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSettings {
    /// Weight per target group (as the touchpoints name them), 0.1 to 5; a group without one
    /// weighs 1. An action counts the heaviest group among its touchpoints.
    pub target_groups: BTreeMap<String, f64>,
    /// Weight per region, as for target groups.
    pub regions: BTreeMap<String, f64>,
    pub quick_win: QuickWinRule,
    pub weights: PlanWeights,
}

impl PlanSettings {
    /// The settings, each value within its bounds, names trimmed; or every problem, named
    /// by its field (`target_groups.Stammkunden`, `quick_win.max_days`).
    pub fn validate(&self) -> Result<PlanSettings, Problems> {
        let mut p = Problems::default();
        let target_groups = group_weights(&mut p, "target_groups", &self.target_groups);
        let regions = group_weights(&mut p, "regions", &self.regions);
        let rule = &self.quick_win;
        if !(1..=QUICK_WIN_DAYS_MAX).contains(&rule.max_days) {
            p.push(
                "quick_win.max_days",
                Problem::OutOfRange {
                    min: 1,
                    max: QUICK_WIN_DAYS_MAX,
                },
            );
        }
        within(
            &mut p,
            "quick_win.max_effort_days",
            rule.max_effort_days,
            0.0,
            QUICK_WIN_EFFORT_MAX,
        );
        let w = &self.weights;
        within(&mut p, "weights.target_nps", w.target_nps, -100.0, 100.0);
        within(&mut p, "weights.target_csat", w.target_csat, 0.0, 100.0);
        within(&mut p, "weights.target_ces", w.target_ces, 1.0, 7.0);
        for (field, value) in [
            ("weights.gap", w.gap),
            ("weights.falling", w.falling),
            ("weights.late", w.late),
            ("weights.per_contradiction", w.per_contradiction),
            ("weights.max_contradictions", w.max_contradictions),
            ("weights.per_broken_standard", w.per_broken_standard),
            ("weights.max_broken_standards", w.max_broken_standards),
            ("weights.per_person_day", w.per_person_day),
            ("weights.max_effort", w.max_effort),
        ] {
            within(&mut p, field, value, 0.0, POINTS_MAX);
        }
        if w.reach_customers > REACH_CUSTOMERS_MAX as u64 {
            p.push(
                "weights.reach_customers",
                Problem::OutOfRange {
                    min: 0,
                    max: REACH_CUSTOMERS_MAX,
                },
            );
        }
        if !(0..=DAY_RATE_CENTS_MAX).contains(&w.day_rate_cents) {
            p.push(
                "weights.day_rate_cents",
                Problem::OutOfRange {
                    min: 0,
                    max: DAY_RATE_CENTS_MAX,
                },
            );
        }
        p.into_result(PlanSettings {
            target_groups,
            regions,
            quick_win: self.quick_win.clone(),
            weights: self.weights.clone(),
        })
    }

    /// The heaviest weighted group among `names` with its weight; `None` when none of them
    /// has a weight other than 1.
    pub fn heaviest<'a>(
        weights: &BTreeMap<String, f64>,
        names: impl IntoIterator<Item = &'a String>,
    ) -> Option<(String, f64)> {
        names
            .into_iter()
            .filter_map(|name| weights.get(name).map(|w| (name, *w)))
            .filter(|(_, w)| *w != 1.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(name, w)| (name.clone(), w))
    }
}

fn within(p: &mut Problems, field: &str, value: f64, min: f64, max: f64) {
    if !value.is_finite() || value < min || value > max {
        p.push(
            field,
            Problem::rule(
                "number-range",
                &format!("must be a number from {min} to {max}"),
            ),
        );
    }
}

fn group_weights(
    p: &mut Problems,
    field: &str,
    weights: &BTreeMap<String, f64>,
) -> BTreeMap<String, f64> {
    if weights.len() > GROUP_WEIGHTS_MAX {
        p.push(
            field,
            Problem::TooMany {
                max: GROUP_WEIGHTS_MAX,
            },
        );
    }
    let mut kept = BTreeMap::new();
    for (name, weight) in weights {
        let at = format!("{field}.{}", name.trim());
        let name = check_text(p, &at, name, GROUP_NAME_MAX, true);
        within(p, &at, *weight, GROUP_WEIGHT_MIN, GROUP_WEIGHT_MAX);
        kept.insert(name, *weight);
    }
    kept
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::object::Strict;

    fn fields(problems: &Problems) -> Vec<&str> {
        problems.0.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn the_rule_and_the_weights_are_read_only_from_objects() {
        for body in [
            r#"{"quick_win": []}"#,
            r#"{"quick_win": [7, 2.5]}"#,
            r#"{"weights": []}"#,
        ] {
            let read: Result<Strict<PlanSettings>, _> = serde_json::from_str(body);
            assert!(read.is_err(), "{body} was read as {read:?}");
        }
        let Strict(read): Strict<PlanSettings> =
            serde_json::from_str(r#"{"quick_win": {"max_days": 7}, "weights": {}}"#)
                .expect("objects");
        assert_eq!(read.quick_win.max_days, 7);
        assert_eq!(read.weights, PlanWeights::default());
    }

    #[test]
    fn the_defaults_are_valid_and_kept() {
        let defaults = PlanSettings::default();
        assert_eq!(defaults.validate().expect("valid"), defaults);
        assert_eq!(defaults.quick_win.max_days, 14);
    }

    #[test]
    fn every_value_out_of_bounds_is_named() {
        let mut settings = PlanSettings::default();
        settings.target_groups.insert(" Stammkunden ".into(), 1.5);
        settings.target_groups.insert("Neukunden".into(), 9.0);
        settings.regions.insert("Nord".into(), f64::NAN);
        settings.quick_win.max_days = 0;
        settings.quick_win.max_effort_days = -1.0;
        settings.weights.target_csat = 101.0;
        settings.weights.gap = f64::INFINITY;
        settings.weights.day_rate_cents = -5;
        let problems = settings.validate().expect_err("invalid");
        assert_eq!(
            fields(&problems),
            [
                "target_groups.Neukunden",
                "regions.Nord",
                "quick_win.max_days",
                "quick_win.max_effort_days",
                "weights.target_csat",
                "weights.gap",
                "weights.day_rate_cents",
            ]
        );
        settings.target_groups.insert("".into(), 1.0);
        settings
            .target_groups
            .insert("x".repeat(GROUP_NAME_MAX + 1), 1.0);
        let problems = settings.validate().expect_err("invalid");
        assert!(
            fields(&problems).contains(&"target_groups."),
            "{problems:?}"
        );
    }

    #[test]
    fn names_are_trimmed() {
        let mut settings = PlanSettings::default();
        settings.target_groups.insert(" Stammkunden ".into(), 1.5);
        let valid = settings.validate().expect("valid");
        assert_eq!(valid.target_groups.get("Stammkunden"), Some(&1.5));
    }

    #[test]
    fn the_heaviest_group_among_a_touchpoints_wins_and_weight_one_is_none() {
        let weights: BTreeMap<String, f64> = [
            ("Stammkunden".to_owned(), 1.5),
            ("Neukunden".to_owned(), 0.8),
            ("Alle".to_owned(), 1.0),
        ]
        .into_iter()
        .collect();
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            PlanSettings::heaviest(&weights, &names(&["Neukunden", "Stammkunden", "Familien"])),
            Some(("Stammkunden".into(), 1.5))
        );
        assert_eq!(
            PlanSettings::heaviest(&weights, &names(&["Neukunden"])),
            Some(("Neukunden".into(), 0.8))
        );
        assert_eq!(
            PlanSettings::heaviest(&weights, &names(&["Alle", "Familien"])),
            None
        );
    }

    proptest! {
        /// A valid setting survives a JSON round trip as itself.
        #[test]
        fn valid_settings_round_trip(
            weight in GROUP_WEIGHT_MIN..=GROUP_WEIGHT_MAX,
            days in 1i64..=QUICK_WIN_DAYS_MAX,
            effort in 0.0..=QUICK_WIN_EFFORT_MAX,
        ) {
            let mut settings = PlanSettings::default();
            settings.regions.insert("Süd".into(), weight);
            settings.quick_win = QuickWinRule { max_days: days, max_effort_days: effort };
            let valid = settings.validate().expect("valid");
            let json = serde_json::to_string(&valid).expect("json");
            let back: PlanSettings = serde_json::from_str(&json).expect("read back");
            prop_assert_eq!(back, valid);
        }
    }
}
