//! An action's priority from the customer's view, in points with their reasons, like the
//! queue's score: what is wrong at the action's touchpoints (the gap), how much that matters
//! (importance, reach, target group and region, brand fit), and what the action costs.
//!
//! The gap is the sum of its parts, each scaled by the touchpoints' importance:
//! - a metric below its target: `gap × shortfall × importance / 5`, where the shortfall is how
//!   far the value lies below the target, as a share of the way from the target down to the
//!   scale's worst value (NPS −23 against a target of 30: 53 of 130 points);
//! - a metric that fell beyond the noise since the window before (a significant change):
//!   `falling × importance / 5`;
//! - answers late against the response-time targets: `late × share late`;
//! - open contradictions and broken mandatory standards: points each, up to a cap.
//!
//! The impact is the gap times the factors of reach (`0.5` with no customers, `1` with
//! `reach_customers` of them, up to `2`), of the largest weight among the touchpoints'
//! target groups and regions, and of brand fit (`0.8` for 1 to `1.2` for 5). Each factor is
//! shown as the points it adds or takes, so that the parts add up to the score. The effort
//! takes points per person-day, a budget counted as person-days at `day_rate_cents`.

use serde::{Deserialize, Serialize};

use crate::kpi::{Change, Estimate, Metric};
use crate::priority::reason::{decimal, grouped, is_german, with_points};

/// The rule's numbers, which a manager may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PlanWeights {
    /// The values each metric is aimed at: NPS in points, CSAT in percent, CES mean score.
    pub target_nps: f64,
    pub target_csat: f64,
    pub target_ces: f64,
    /// Points for a metric at the worst value of its scale, at a touchpoint of importance 5.
    pub gap: f64,
    /// Points for a metric that fell beyond the noise, at importance 5.
    pub falling: f64,
    /// Points when every answer was late against its response-time target.
    pub late: f64,
    pub per_contradiction: f64,
    pub max_contradictions: f64,
    pub per_broken_standard: f64,
    pub max_broken_standards: f64,
    /// Customers at which reach counts as 1 (neither adds nor takes).
    pub reach_customers: u64,
    /// Points taken per person-day of effort, up to `max_effort`.
    pub per_person_day: f64,
    pub max_effort: f64,
    /// What a person-day costs, to count a budget as effort (cents).
    pub day_rate_cents: i64,
}

impl Default for PlanWeights {
    fn default() -> Self {
        PlanWeights {
            target_nps: 30.0,
            target_csat: 80.0,
            target_ces: 5.5,
            gap: 40.0,
            falling: 10.0,
            late: 30.0,
            per_contradiction: 4.0,
            max_contradictions: 20.0,
            per_broken_standard: 5.0,
            max_broken_standards: 25.0,
            reach_customers: 500,
            per_person_day: 0.6,
            max_effort: 40.0,
            day_rate_cents: 80_000,
        }
    }
}

impl PlanWeights {
    fn target(&self, metric: Metric) -> f64 {
        match metric {
            Metric::Nps => self.target_nps,
            Metric::Csat => self.target_csat,
            Metric::Ces => self.target_ces,
        }
    }
}

/// A metric at the action's touchpoints in the current window.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub metric: Metric,
    pub estimate: Estimate,
    /// Against the window before; `None` without answers then.
    pub change: Option<Change>,
}

/// What the plan knows of the touchpoints an action concerns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Signals {
    /// The highest overall importance (1 to 5) among the action's touchpoints.
    pub importance: f64,
    pub measured: Vec<Measured>,
    /// Requests with a response-time target in the window, and how many of them were late.
    pub with_target: u64,
    pub late: u64,
    pub open_contradictions: u64,
    pub broken_mandatory_standards: u64,
    /// Customers who used the touchpoints in the window: requests, answers, events.
    pub customers: u64,
    /// The weighted target group or region with the largest weight, and that weight.
    pub target_group: Option<(String, f64)>,
    pub region: Option<(String, f64)>,
    /// 1 to 5; `0` when unknown (counts as 3).
    pub brand_fit: u8,
    pub person_days: f64,
    pub budget_cents: i64,
}

impl Signals {
    /// The effort in person-days, a budget counted at the day rate.
    pub fn effort_days(&self, weights: &PlanWeights) -> f64 {
        let budget_days = if weights.day_rate_cents > 0 {
            self.budget_cents.max(0) as f64 / weights.day_rate_cents as f64
        } else {
            0.0
        };
        self.person_days.max(0.0) + budget_days
    }
}

/// Why a part of the score is there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Reason {
    /// The metric's value at a touchpoint of this importance, below its target.
    BelowTarget {
        metric: Metric,
        value: f64,
        importance: f64,
    },
    /// The metric fell by `delta` since the window before, beyond the noise.
    Falling {
        metric: Metric,
        delta: f64,
    },
    /// This many of the requests with a target were answered late.
    Late {
        late: u64,
        with_target: u64,
    },
    OpenContradictions {
        count: u64,
    },
    BrokenStandards {
        count: u64,
    },
    /// Customers who used the touchpoints in the window.
    Reach {
        customers: u64,
    },
    TargetGroup {
        name: String,
        weight: f64,
    },
    Region {
        name: String,
        weight: f64,
    },
    BrandFit {
        fit: u8,
    },
    /// The effort: person-days and budget (cents).
    Effort {
        person_days: f64,
        budget_cents: i64,
    },
}

/// One part of the score: a reason and the points it gives (negative: it takes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Part {
    pub reason: Reason,
    pub points: f64,
}

/// An action's score: the impact (the parts before the effort), the effort in person-days,
/// and the total, which the plan is sorted by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionScore {
    pub points: f64,
    pub impact: f64,
    pub effort_days: f64,
    pub parts: Vec<Part>,
}

/// Scores an action from what is known of its touchpoints.
pub fn score(signals: &Signals, weights: &PlanWeights) -> ActionScore {
    let mut parts = Vec::new();
    let importance = signals.importance.clamp(0.0, 5.0) / 5.0;
    for m in &signals.measured {
        let target = weights.target(m.metric);
        let worst = m.metric.value_range().0;
        if m.estimate.value < target && target > worst {
            let shortfall = ((target - m.estimate.value) / (target - worst)).clamp(0.0, 1.0);
            parts.push(Part {
                reason: Reason::BelowTarget {
                    metric: m.metric,
                    value: m.estimate.value,
                    importance: signals.importance,
                },
                points: weights.gap * shortfall * importance,
            });
        }
        if let Some(change) = m.change
            && change.significant
            && change.delta < 0.0
        {
            parts.push(Part {
                reason: Reason::Falling {
                    metric: m.metric,
                    delta: change.delta,
                },
                points: weights.falling * importance,
            });
        }
    }
    if signals.with_target > 0 && signals.late > 0 {
        let share = (signals.late.min(signals.with_target)) as f64 / signals.with_target as f64;
        parts.push(Part {
            reason: Reason::Late {
                late: signals.late,
                with_target: signals.with_target,
            },
            points: weights.late * share,
        });
    }
    if signals.open_contradictions > 0 {
        parts.push(Part {
            reason: Reason::OpenContradictions {
                count: signals.open_contradictions,
            },
            points: (weights.per_contradiction * signals.open_contradictions as f64)
                .min(weights.max_contradictions),
        });
    }
    if signals.broken_mandatory_standards > 0 {
        parts.push(Part {
            reason: Reason::BrokenStandards {
                count: signals.broken_mandatory_standards,
            },
            points: (weights.per_broken_standard * signals.broken_mandatory_standards as f64)
                .min(weights.max_broken_standards),
        });
    }

    // The factors: each adds what it multiplies the impact so far by, so the parts add up.
    let mut impact: f64 = parts.iter().map(|p| p.points).sum();
    let reach = if weights.reach_customers == 0 {
        1.0
    } else {
        (0.5 + 0.5 * signals.customers as f64 / weights.reach_customers as f64).min(2.0)
    };
    let brand_fit = match signals.brand_fit {
        0 => 1.0,
        fit => 0.8 + 0.1 * f64::from(fit.clamp(1, 5) - 1),
    };
    let factors = [
        Some((
            Reason::Reach {
                customers: signals.customers,
            },
            reach,
        )),
        signals.target_group.as_ref().map(|(name, weight)| {
            (
                Reason::TargetGroup {
                    name: name.clone(),
                    weight: *weight,
                },
                *weight,
            )
        }),
        signals.region.as_ref().map(|(name, weight)| {
            (
                Reason::Region {
                    name: name.clone(),
                    weight: *weight,
                },
                *weight,
            )
        }),
        Some((
            Reason::BrandFit {
                fit: signals.brand_fit,
            },
            brand_fit,
        )),
    ];
    for (reason, factor) in factors.into_iter().flatten() {
        let factor = factor.max(0.0);
        let points = impact * (factor - 1.0);
        if impact > 0.0 && factor != 1.0 {
            parts.push(Part { reason, points });
        }
        impact *= factor;
    }

    let effort_days = signals.effort_days(weights);
    let effort = (weights.per_person_day * effort_days).min(weights.max_effort);
    if effort > 0.0 {
        parts.push(Part {
            reason: Reason::Effort {
                person_days: signals.person_days,
                budget_cents: signals.budget_cents,
            },
            points: -effort,
        });
    }
    ActionScore {
        points: parts.iter().map(|p| p.points).sum(),
        impact,
        effort_days,
        parts,
    }
}

fn metric_value(metric: Metric, value: f64, german: bool) -> String {
    match metric {
        Metric::Nps => format!("NPS {}", decimal(value, german)),
        Metric::Csat => format!("CSAT {} %", decimal(value, german)),
        Metric::Ces => format!("CES {}", decimal(value, german)),
    }
}

impl Reason {
    /// The reason in words, in German for `lang` `de` (or `de-…`), else in English.
    pub fn describe(&self, lang: &str) -> String {
        let german = is_german(lang);
        match self {
            Reason::BelowTarget {
                metric,
                value,
                importance,
            } => {
                let value = metric_value(*metric, *value, german);
                let importance = decimal(*importance, german);
                if german {
                    format!("{value} an einem Touchpoint der Wichtigkeit {importance}")
                } else {
                    format!("{value} at a touchpoint of importance {importance}")
                }
            }
            Reason::Falling { metric, delta } => {
                let name = metric.as_str().to_uppercase();
                let delta = decimal(*delta, german);
                if german {
                    format!("{name} gesunken um {delta}, über dem Rauschen")
                } else {
                    format!("{name} fell by {delta}, beyond the noise")
                }
            }
            Reason::Late { late, with_target } if german => {
                format!("{late} von {with_target} Antworten zu spät")
            }
            Reason::Late { late, with_target } => {
                format!("{late} of {with_target} answers late")
            }
            Reason::OpenContradictions { count: 1 } if german => "1 offener Widerspruch".into(),
            Reason::OpenContradictions { count: 1 } => "1 open contradiction".into(),
            Reason::OpenContradictions { count } if german => {
                format!("{count} offene Widersprüche")
            }
            Reason::OpenContradictions { count } => format!("{count} open contradictions"),
            Reason::BrokenStandards { count: 1 } if german => {
                "1 verletzter Pflicht-Standard".into()
            }
            Reason::BrokenStandards { count: 1 } => "1 mandatory standard broken".into(),
            Reason::BrokenStandards { count } if german => {
                format!("{count} verletzte Pflicht-Standards")
            }
            Reason::BrokenStandards { count } => format!("{count} mandatory standards broken"),
            Reason::Reach { customers } if german => {
                format!("Reichweite: {} Kunden", grouped(*customers as i64, true))
            }
            Reason::Reach { customers } => {
                format!("reach: {} customers", grouped(*customers as i64, false))
            }
            Reason::TargetGroup { name, weight } if german => {
                format!("Zielgruppe {name} ×{}", decimal(*weight, true))
            }
            Reason::TargetGroup { name, weight } => {
                format!("target group {name} ×{}", decimal(*weight, false))
            }
            Reason::Region { name, weight } if german => {
                format!("Region {name} ×{}", decimal(*weight, true))
            }
            Reason::Region { name, weight } => {
                format!("region {name} ×{}", decimal(*weight, false))
            }
            Reason::BrandFit { fit } if german => format!("Markenfit {fit}"),
            Reason::BrandFit { fit } => format!("brand fit {fit}"),
            Reason::Effort {
                person_days,
                budget_cents,
            } => {
                let days = decimal(*person_days, german);
                let euros = grouped(budget_cents / 100, german);
                match (german, *person_days > 0.0, *budget_cents > 0) {
                    (true, _, false) => format!("Aufwand {days} Personentage"),
                    (false, _, false) => format!("effort {days} person-days"),
                    (true, false, true) => format!("Budget {euros} €"),
                    (false, false, true) => format!("budget €{euros}"),
                    (true, true, true) => format!("Aufwand {days} Personentage und {euros} €"),
                    (false, true, true) => format!("effort {days} person-days and €{euros}"),
                }
            }
        }
    }
}

impl Part {
    /// The reason and its points: "3 open contradictions +12", "Aufwand 15 Personentage -9".
    pub fn describe(&self, lang: &str) -> String {
        with_points(self.reason.describe(lang), self.points, lang)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::kpi::{Tally, estimate};

    fn nps(scores: &[(u8, u64)]) -> Estimate {
        let mut tally = Tally::default();
        for &(score, count) in scores {
            tally.counts[usize::from(score)] = count;
        }
        estimate(Metric::Nps, &tally).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_low_nps_at_an_important_touchpoint_with_contradictions_against_its_effort() {
        // NPS −23 on 100 answers: 20 promoters, 37 passives, 43 detractors.
        let measured = nps(&[(10, 20), (8, 37), (3, 43)]);
        assert_eq!(measured.value, -23.0);
        let signals = Signals {
            importance: 4.7,
            measured: vec![Measured {
                metric: Metric::Nps,
                estimate: measured,
                change: None,
            }],
            open_contradictions: 3,
            customers: 500,
            brand_fit: 3,
            person_days: 15.0,
            ..Signals::default()
        };
        let s = score(&signals, &PlanWeights::default());
        let described: Vec<String> = s.parts.iter().map(|p| p.describe("en")).collect();
        // 40 · (30 − (−23)) / (30 − (−100)) · 4.7 / 5 = 40 · 53/130 · 0.94 = 15.3292…;
        // 3 · 4 = 12; reach and brand fit are 1 here; effort 0.6 · 15 = 9.
        assert_eq!(
            described,
            [
                "NPS -23 at a touchpoint of importance 4.7 +15.3",
                "3 open contradictions +12",
                "effort 15 person-days -9",
            ]
        );
        assert!(close(s.impact, 40.0 * 53.0 / 130.0 * 0.94 + 12.0));
        assert!(close(s.points, s.impact - 9.0));
        assert_eq!(
            s.parts[0].describe("de"),
            "NPS -23 an einem Touchpoint der Wichtigkeit 4,7 +15,3"
        );
    }

    #[test]
    fn factors_show_what_they_add_and_the_parts_add_up() {
        let signals = Signals {
            importance: 5.0,
            with_target: 40,
            late: 10,
            broken_mandatory_standards: 10,
            customers: 1500,
            target_group: Some(("Familien".into(), 1.5)),
            brand_fit: 5,
            budget_cents: 400_000,
            ..Signals::default()
        };
        let s = score(&signals, &PlanWeights::default());
        // Late 30 · 10/40 = 7.5; standards 10 · 5 capped at 25: gap 32.5.
        // Reach 0.5 + 0.5 · 1500/500 = 2: +32.5 (65); group ×1.5: +32.5 (97.5);
        // brand fit 1.2: +19.5 (117). Effort: €4,000 at €800 a day = 5 days: −3.
        let points: Vec<f64> = s.parts.iter().map(|p| p.points).collect();
        let expected = [7.5, 25.0, 32.5, 32.5, 19.5, -3.0];
        assert_eq!(points.len(), expected.len(), "{:?}", s.parts);
        for (p, e) in points.iter().zip(expected) {
            assert!(close(*p, e), "{points:?}");
        }
        assert!(close(s.impact, 117.0));
        assert!(close(s.effort_days, 5.0));
        assert_eq!(s.parts[3].describe("de"), "Zielgruppe Familien ×1,5 +32,5");
        assert_eq!(s.parts[5].describe("en"), "budget €4,000 -3");
    }

    #[test]
    fn a_metric_on_target_adds_nothing_and_a_significant_fall_does() {
        let on_target = nps(&[(10, 60), (8, 40)]);
        let signals = Signals {
            importance: 2.5,
            measured: vec![Measured {
                metric: Metric::Nps,
                estimate: on_target,
                change: Some(Change {
                    delta: -12.0,
                    standard_error: 4.0,
                    significant: true,
                }),
            }],
            customers: 500,
            ..Signals::default()
        };
        let s = score(&signals, &PlanWeights::default());
        assert_eq!(s.parts.len(), 1, "{:?}", s.parts);
        assert_eq!(
            s.parts[0].describe("en"),
            "NPS fell by -12, beyond the noise +5"
        );
    }

    proptest! {
        /// The parts always add up to the score, and more of anything wrong never lowers it.
        #[test]
        fn parts_add_up_and_more_trouble_never_lowers_the_score(
            importance in 1.0f64..5.0,
            late in 0u64..50,
            contradictions in 0u64..10,
            customers in 0u64..5000,
            brand_fit in 0u8..=5,
            person_days in 0.0f64..100.0,
        ) {
            let signals = Signals {
                importance,
                with_target: 50,
                late,
                open_contradictions: contradictions,
                customers,
                brand_fit,
                person_days,
                ..Signals::default()
            };
            let weights = PlanWeights::default();
            let s = score(&signals, &weights);
            // The impact is every part but the effort's.
            let impact: f64 = s.parts.iter()
                .filter(|p| !matches!(p.reason, Reason::Effort { .. }))
                .map(|p| p.points)
                .sum();
            prop_assert!((impact - s.impact).abs() < 1e-9);
            let worse = Signals { open_contradictions: contradictions + 1, ..signals.clone() };
            prop_assert!(score(&worse, &weights).points >= s.points - 1e-9);
            let costlier = Signals { person_days: person_days + 1.0, ..signals };
            prop_assert!(score(&costlier, &weights).points <= s.points + 1e-9);
        }
    }
}
