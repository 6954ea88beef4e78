//! The plan's review (Auswertung), as on day 30 of the programme: every action in progress or
//! done with its before and after ([`crate::action_effect`], once per action, so the cost
//! grows with the number of actions), its measurable target against what was measured, and
//! what to adjust, in words:
//! - a metric that got worse (beyond the noise);
//! - a target missed: its day has passed and the measured value falls short;
//! - no detectable effect: the window after the start is complete and no metric moved;
//! - too few answers to tell (fewer than 30 on a side): extend the survey;
//! - an action that cannot be measured: no touchpoint, no start, or a start still ahead.
//!
//! The measured value of a target is the one of the window after the start: NPS, CSAT and
//! CES from its answers (only with 30 or more, else it is not measured), the 90th percentile
//! of the first response in hours from its requests, and the open contradictions of the
//! latest check at the action's touchpoints (or linked to it) as they are now.

use std::collections::{BTreeSet, HashMap};

use futures::stream::{self, StreamExt, TryStreamExt};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use touchpoints_core::action_plan::{ActionStatus, Target, TargetMetric};
use touchpoints_core::consistency::check::FindingKind;
use touchpoints_core::kpi::{Effect, MIN_ANSWERS, Metric, Verdict};
use touchpoints_core::{FieldProblem, Problems, kpi};
use touchpoints_store::{Store, StoredAction};

use crate::action_effect::{self, ActionEffect};
use crate::actions::Measurements;
use crate::{AppError, CONCURRENT_READS, Result};

/// Whether a target was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TargetOutcome {
    /// The measured value reaches the target.
    Met,
    /// The target's day has passed and the measured value falls short.
    Missed,
    /// Not reached yet, and its day is still ahead.
    Pending,
    /// Nothing to compare: no start, or too little measured.
    Unmeasured,
}

/// An action's target against what was measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetCheck {
    pub target: Target,
    /// The day the target is due: the start plus its days; absent without a start.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub deadline: Option<Date>,
    /// The value measured, in the target's unit.
    pub measured: Option<f64>,
    pub outcome: TargetOutcome,
}

/// What a proposal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AdjustmentKind {
    Worse,
    TargetMissed,
    NoDetectableEffect,
    TooFewAnswers,
    Unmeasurable,
}

/// What to adjust, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    /// The metric it concerns, where one does.
    pub metric: Option<Metric>,
    pub text: String,
}

/// One action of the review.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewEntry {
    pub action: StoredAction,
    /// Its before and after; absent when it cannot be measured.
    pub effect: Option<ActionEffect>,
    /// Why it cannot be measured: the field and the reason, as
    /// `GET /api/v1/actions/{id}/effect` refuses it.
    pub unmeasurable: Option<FieldProblem>,
    pub target: Option<TargetCheck>,
    pub adjustments: Vec<Adjustment>,
}

/// The review of the plan.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    /// Days in each window before and after an action's start.
    pub days: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub today: Date,
    /// The actions in progress or done, by id.
    pub entries: Vec<ReviewEntry>,
}

/// The review at `now` with windows of `days` days (30 when `None`, 1 to 365), its words in
/// German for `lang` `de`, else in English.
pub async fn review(
    store: &dyn Store,
    days: Option<i64>,
    now: Timestamp,
    lang: &str,
) -> Result<Review> {
    let days = action_effect::checked_days(days)?;
    let tz = action_effect::time_zone(store).await?;
    let today = kpi::local_day(now, &tz);
    let actions: Vec<StoredAction> = store
        .actions()
        .await?
        .into_iter()
        .filter(|a| matches!(a.status, ActionStatus::InProgress | ActionStatus::Done))
        .collect();
    // Contradictions only matter to targets on them: read the findings once, if any has one.
    let findings = if actions.iter().any(|a| {
        a.fields
            .target
            .is_some_and(|t| t.metric == TargetMetric::OpenContradictions)
    }) {
        Measurements::place_findings(&store.findings().await?, &store.contents().await?)
    } else {
        HashMap::new()
    };
    let german = lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("de"));
    // The effects are read a few at a time and kept in the actions' order; one that cannot
    // be measured is an answer, any other error ends the review. By index: a closure over
    // borrowed actions would not be `Send` for the router.
    let effects: Vec<std::result::Result<ActionEffect, Problems>> = stream::iter(0..actions.len())
        .map(|i| action_effect::effect_of(store, &actions[i], days, &tz, now))
        .buffered(CONCURRENT_READS)
        .map(|effect| match effect {
            Ok(effect) => Ok(Ok(effect)),
            Err(AppError::Invalid(problems)) => Ok(Err(problems)),
            Err(other) => Err(other),
        })
        .try_collect()
        .await?;
    let mut entries = Vec::with_capacity(actions.len());
    for (action, effect) in actions.into_iter().zip(effects) {
        let (effect, unmeasurable) = match effect {
            Ok(effect) => (Some(effect), None),
            Err(problems) => (None, problems.0.into_iter().next()),
        };
        let contradictions = open_contradictions(&action, &findings);
        let target = action
            .fields
            .target
            .map(|t| check_target(&t, &action, effect.as_ref(), contradictions, today));
        let adjustments = adjustments(
            effect.as_ref(),
            unmeasurable.as_ref(),
            target.as_ref(),
            days,
            german,
        );
        entries.push(ReviewEntry {
            action,
            effect,
            unmeasurable,
            target,
            adjustments,
        });
    }
    Ok(Review {
        days,
        today,
        entries,
    })
}

/// The open contradictions of the latest check placed at the action's touchpoints or linked
/// to it.
fn open_contradictions(
    action: &StoredAction,
    findings: &HashMap<i64, (FindingKind, BTreeSet<i64>)>,
) -> u64 {
    let ids = &action.fields.touchpoint_ids;
    findings
        .iter()
        .filter(|(id, (kind, places))| {
            matches!(
                kind,
                FindingKind::ContradictsGuideline | FindingKind::ContradictsChannel
            ) && (action.fields.finding_ids.contains(id) || places.iter().any(|t| ids.contains(t)))
        })
        .count() as u64
}

fn survey_metric(metric: TargetMetric) -> Option<Metric> {
    match metric {
        TargetMetric::Nps => Some(Metric::Nps),
        TargetMetric::Csat => Some(Metric::Csat),
        TargetMetric::Ces => Some(Metric::Ces),
        TargetMetric::ResponseP90Hours | TargetMetric::OpenContradictions => None,
    }
}

/// The target against the value measured after the start.
fn check_target(
    target: &Target,
    action: &StoredAction,
    effect: Option<&ActionEffect>,
    open_contradictions: u64,
    today: Date,
) -> TargetCheck {
    let start = effect.map(|e| e.start).or(action.fields.start);
    let deadline = start.and_then(|s| s.checked_add(target.within_days.days()).ok());
    let measured = match (survey_metric(target.metric), effect) {
        (Some(metric), Some(effect)) => effect
            .metrics
            .iter()
            .find(|m| m.metric == metric)
            .and_then(|m| m.after)
            .filter(|after| after.n >= MIN_ANSWERS)
            .map(|after| after.value),
        (None, Some(effect)) if target.metric == TargetMetric::ResponseP90Hours => effect
            .response_times
            .after
            .p90_minutes
            .map(|minutes| minutes / 60.0),
        (None, _) if target.metric == TargetMetric::OpenContradictions && start.is_some() => {
            Some(open_contradictions as f64)
        }
        _ => None,
    };
    let outcome = match (measured, deadline) {
        (Some(value), Some(deadline)) => {
            let reached = if target.metric.higher_is_better() {
                value >= target.value
            } else {
                value <= target.value
            };
            if reached {
                TargetOutcome::Met
            } else if today >= deadline {
                TargetOutcome::Missed
            } else {
                TargetOutcome::Pending
            }
        }
        _ => TargetOutcome::Unmeasured,
    };
    TargetCheck {
        target: *target,
        deadline,
        measured,
        outcome,
    }
}

/// A number with `places` decimals, with a decimal comma in German.
fn number(value: f64, places: usize, german: bool) -> String {
    let text = format!("{value:.places$}");
    if german { text.replace('.', ",") } else { text }
}

fn metric_value(metric: Metric, value: f64, german: bool) -> String {
    match metric {
        Metric::Nps => number(value, 0, german),
        Metric::Csat => format!("{} %", number(value, 1, german)),
        Metric::Ces => number(value, 2, german),
    }
}

fn target_value(metric: TargetMetric, value: f64, german: bool) -> String {
    match metric {
        TargetMetric::Nps => number(value, 0, german),
        TargetMetric::Csat => format!("{} %", number(value, 1, german)),
        TargetMetric::Ces => number(value, 2, german),
        TargetMetric::ResponseP90Hours => format!("{} h", number(value, 1, german)),
        TargetMetric::OpenContradictions => number(value, 0, german),
    }
}

fn target_name(metric: TargetMetric, german: bool) -> &'static str {
    match (metric, german) {
        (TargetMetric::Nps, _) => "NPS",
        (TargetMetric::Csat, _) => "CSAT",
        (TargetMetric::Ces, _) => "CES",
        (TargetMetric::ResponseP90Hours, false) => "response time (p90)",
        (TargetMetric::ResponseP90Hours, true) => "Antwortzeit (p90)",
        (TargetMetric::OpenContradictions, false) => "open contradictions",
        (TargetMetric::OpenContradictions, true) => "offene Widersprüche",
    }
}

fn metric_name(metric: Metric) -> &'static str {
    match metric {
        Metric::Nps => "NPS",
        Metric::Csat => "CSAT",
        Metric::Ces => "CES",
    }
}

fn answers(effect: &Effect) -> (u64, u64) {
    (
        effect.before.map_or(0, |e| e.n),
        effect.after.map_or(0, |e| e.n),
    )
}

/// What to adjust for one action, in the order a reader should act on it.
fn adjustments(
    effect: Option<&ActionEffect>,
    unmeasurable: Option<&FieldProblem>,
    target: Option<&TargetCheck>,
    days: i64,
    german: bool,
) -> Vec<Adjustment> {
    let mut out = Vec::new();
    if let Some(problem) = unmeasurable {
        let text = match (problem.field.as_str(), german) {
            ("touchpoint_ids", false) => {
                "Cannot be measured: it names no touchpoint. Name the touchpoints it works at."
                    .to_owned()
            }
            ("touchpoint_ids", true) => "Nicht messbar: die Maßnahme nennt keinen Touchpoint. \
                 Die Touchpoints eintragen, an denen sie wirkt."
                .to_owned(),
            (_, false) => format!(
                "Cannot be measured: {}. Check its start date.",
                problem.message
            ),
            (_, true) => "Nicht messbar: ohne Startdatum in der Vergangenheit gibt es kein \
                 Davor und Danach. Das Startdatum prüfen."
                .to_owned(),
        };
        out.push(Adjustment {
            kind: AdjustmentKind::Unmeasurable,
            metric: None,
            text,
        });
    }
    let metrics: &[Effect] = effect.map_or(&[], |e| &e.metrics);
    for m in metrics.iter().filter(|m| m.verdict == Verdict::Worse) {
        let (before, after) = (
            m.before.map_or(0.0, |e| e.value),
            m.after.map_or(0.0, |e| e.value),
        );
        let p = m.difference.map_or(1.0, |d| d.p_value);
        let (b, a, p) = (
            metric_value(m.metric, before, german),
            metric_value(m.metric, after, german),
            if p < 0.001 {
                format!("< {}", number(0.001, 3, german))
            } else {
                number(p, 3, german)
            },
        );
        let name = metric_name(m.metric);
        out.push(Adjustment {
            kind: AdjustmentKind::Worse,
            metric: Some(m.metric),
            text: if german {
                format!(
                    "{name} ist schlechter geworden: {b} vorher, {a} danach (p = {p}). \
                     Die Ursache an diesen Touchpoints klären, bevor es weitergeht."
                )
            } else {
                format!(
                    "{name} got worse: {b} before, {a} after (p = {p}). Find the cause at \
                     these touchpoints before going on."
                )
            },
        });
    }
    if let Some(check) = target.filter(|c| c.outcome == TargetOutcome::Missed) {
        let t = &check.target;
        let (name, wanted) = (
            target_name(t.metric, german),
            target_value(t.metric, t.value, german),
        );
        let measured = check
            .measured
            .map_or("–".to_owned(), |v| target_value(t.metric, v, german));
        let deadline = check.deadline.map_or(String::new(), |d| {
            if german {
                d.strftime("%d.%m.%Y").to_string()
            } else {
                d.to_string()
            }
        });
        let (at_least, at_most) = if german {
            ("mindestens", "höchstens")
        } else {
            ("at least", "at most")
        };
        let bound = if t.metric.higher_is_better() {
            at_least
        } else {
            at_most
        };
        out.push(Adjustment {
            kind: AdjustmentKind::TargetMissed,
            metric: survey_metric(t.metric),
            text: if german {
                format!(
                    "Ziel verfehlt: {name} {bound} {wanted} bis {deadline}, gemessen {measured}. \
                     Die Maßnahme nachschärfen oder ein erreichbares Ziel setzen."
                )
            } else {
                format!(
                    "Target missed: {name} {bound} {wanted} by {deadline}, measured {measured}. \
                     Sharpen the action or set a target it can reach."
                )
            },
        });
    }
    if let Some(effect) = effect {
        let judged = || {
            metrics
                .iter()
                .filter(|m| m.verdict != Verdict::TooFewAnswers)
        };
        let no_effect = !effect.running
            && judged().count() > 0
            && judged().all(|m| m.verdict == Verdict::NoDetectableChange);
        if no_effect {
            let names: Vec<&str> = judged().map(|m| metric_name(m.metric)).collect();
            out.push(Adjustment {
                kind: AdjustmentKind::NoDetectableEffect,
                metric: None,
                text: if german {
                    format!(
                        "Keine nachweisbare Wirkung nach {days} Tagen ({}): prüfen, ob die \
                         Maßnahme umgesetzt ist, und sie ändern oder beenden.",
                        names.join(", ")
                    )
                } else {
                    format!(
                        "No detectable effect after {days} days ({}): check that it was carried \
                         out, then change or end it.",
                        names.join(", ")
                    )
                },
            });
        }
        let few: Vec<&Effect> = metrics
            .iter()
            .filter(|m| m.verdict == Verdict::TooFewAnswers && answers(m) != (0, 0))
            .collect();
        for m in &few {
            let (before, after) = answers(m);
            let name = metric_name(m.metric);
            out.push(Adjustment {
                kind: AdjustmentKind::TooFewAnswers,
                metric: Some(m.metric),
                text: if german {
                    format!(
                        "Zu wenige Antworten für {name}: {before} vorher, {after} danach, \
                         {MIN_ANSWERS} je Seite nötig. Die Umfrage an diesen Touchpoints \
                         ausweiten oder länger messen."
                    )
                } else {
                    format!(
                        "Too few answers for {name}: {before} before, {after} after, \
                         {MIN_ANSWERS} needed on each side. Extend the survey at these \
                         touchpoints or measure longer."
                    )
                },
            });
        }
        if judged().count() == 0 && few.is_empty() {
            out.push(Adjustment {
                kind: AdjustmentKind::TooFewAnswers,
                metric: None,
                text: if german {
                    "Keine Antworten an diesen Touchpoints: dort eine Umfrage einrichten, \
                     damit sich die Wirkung zeigen lässt."
                        .to_owned()
                } else {
                    "No answers at these touchpoints: put a survey there, so that the effect \
                     can show."
                        .to_owned()
                },
            });
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;
    use touchpoints_core::action_plan::{ActionInput, TargetMetric};
    use touchpoints_core::kpi::{Tally, effect};
    use touchpoints_core::queue_stats::Summary;

    use super::*;
    use crate::action_effect::{ResponseTimes, Window};

    fn nps(promoters: u64, detractors: u64, passives: u64) -> Tally {
        let mut t = Tally::default();
        t.counts[10] = promoters;
        t.counts[0] = detractors;
        t.counts[8] = passives;
        t
    }

    fn summary(p90_minutes: Option<f64>) -> Summary {
        Summary {
            requests: 0,
            responded: 0,
            median_minutes: None,
            p90_minutes,
            first_response_compliance: None,
            resolution_compliance: None,
            breached: 0,
        }
    }

    fn effect_with(metrics: Vec<Effect>, running: bool, p90: Option<f64>) -> ActionEffect {
        ActionEffect {
            action_id: 1,
            touchpoint_ids: vec![1],
            start: date(2026, 11, 1),
            before: Window {
                from: date(2026, 10, 2),
                until: date(2026, 11, 1),
            },
            after: Window {
                from: date(2026, 11, 1),
                until: date(2026, 12, 1),
            },
            running,
            metrics,
            response_times: ResponseTimes {
                before: summary(None),
                after: summary(p90),
            },
        }
    }

    fn action(target: Option<Target>) -> StoredAction {
        StoredAction {
            id: 1,
            fields: ActionInput {
                title: "Hotline".into(),
                touchpoint_ids: vec![1],
                start: Some(date(2026, 11, 1)),
                target,
                ..ActionInput::default()
            }
            .validate()
            .unwrap(),
            status: ActionStatus::InProgress,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_worse_metric_and_a_missed_target_are_named() {
        // NPS 40 before (60 promoters, 20 detractors of 100), 0 after (30 and 30 of 100).
        let worse = effect(Metric::Nps, &nps(60, 20, 20), &nps(30, 30, 40));
        assert_eq!(worse.verdict, Verdict::Worse);
        let e = effect_with(vec![worse], false, None);
        let target = Target {
            metric: TargetMetric::Nps,
            value: 30.0,
            within_days: 20,
        };
        let check = check_target(
            &target,
            &action(Some(target)),
            Some(&e),
            0,
            date(2026, 12, 4),
        );
        assert_eq!(check.deadline, Some(date(2026, 11, 21)));
        assert_eq!(check.measured, Some(0.0));
        assert_eq!(check.outcome, TargetOutcome::Missed);
        let words = adjustments(Some(&e), None, Some(&check), 30, false);
        let kinds: Vec<AdjustmentKind> = words.iter().map(|a| a.kind).collect();
        assert_eq!(kinds, [AdjustmentKind::Worse, AdjustmentKind::TargetMissed]);
        assert!(
            words[0]
                .text
                .starts_with("NPS got worse: 40 before, 0 after (p = "),
            "{}",
            words[0].text
        );
        assert_eq!(
            words[1].text,
            "Target missed: NPS at least 30 by 2026-11-21, measured 0. Sharpen the action or \
             set a target it can reach."
        );
        let german = adjustments(Some(&e), None, Some(&check), 30, true);
        assert!(
            german[1]
                .text
                .starts_with("Ziel verfehlt: NPS mindestens 30 bis 21.11.2026")
        );
    }

    #[test]
    fn a_target_not_yet_due_is_pending_and_one_reached_met() {
        let e = effect_with(vec![], true, Some(300.0));
        let target = Target {
            metric: TargetMetric::ResponseP90Hours,
            value: 4.0,
            within_days: 60,
        };
        let a = action(Some(target));
        // p90 of 300 minutes is 5 hours, above 4, before the day (2026-12-31).
        let check = check_target(&target, &a, Some(&e), 0, date(2026, 12, 4));
        assert_eq!(
            (check.measured, check.outcome),
            (Some(5.0), TargetOutcome::Pending)
        );
        let e = effect_with(vec![], true, Some(180.0));
        let check = check_target(&target, &a, Some(&e), 0, date(2027, 1, 4));
        assert_eq!(
            (check.measured, check.outcome),
            (Some(3.0), TargetOutcome::Met)
        );
        // Contradictions are counted now; too few answers leave a survey target unmeasured.
        let target = Target {
            metric: TargetMetric::OpenContradictions,
            value: 0.0,
            within_days: 10,
        };
        let check = check_target(&target, &a, None, 2, date(2026, 12, 4));
        assert_eq!(
            (check.measured, check.outcome),
            (Some(2.0), TargetOutcome::Missed)
        );
        let few = effect(Metric::Csat, &Tally::default(), &nps(5, 0, 0));
        let e = effect_with(vec![few], false, None);
        let target = Target {
            metric: TargetMetric::Csat,
            value: 80.0,
            within_days: 10,
        };
        let check = check_target(&target, &a, Some(&e), 0, date(2026, 12, 4));
        assert_eq!(check.outcome, TargetOutcome::Unmeasured);
    }

    #[test]
    fn no_effect_needs_a_complete_window_and_few_answers_ask_for_a_wider_survey() {
        // 50 promoters and 50 detractors on both sides: NPS 0 and 0, no change.
        let same = effect(Metric::Nps, &nps(50, 50, 0), &nps(50, 50, 0));
        let mut few_csat = Tally::default();
        few_csat.counts[5] = 12;
        let few = effect(Metric::Csat, &few_csat, &few_csat);
        let none = effect(Metric::Ces, &Tally::default(), &Tally::default());
        let e = effect_with(vec![same, few, none], false, None);
        let words = adjustments(Some(&e), None, None, 30, false);
        let kinds: Vec<(AdjustmentKind, Option<Metric>)> =
            words.iter().map(|a| (a.kind, a.metric)).collect();
        assert_eq!(
            kinds,
            [
                (AdjustmentKind::NoDetectableEffect, None),
                (AdjustmentKind::TooFewAnswers, Some(Metric::Csat)),
            ]
        );
        assert_eq!(
            words[1].text,
            "Too few answers for CSAT: 12 before, 12 after, 30 needed on each side. Extend the \
             survey at these touchpoints or measure longer."
        );
        // While the window runs, no verdict of "no effect" yet.
        let e = effect_with(vec![same], true, None);
        assert!(adjustments(Some(&e), None, None, 30, false).is_empty());
        // No answers at all.
        let e = effect_with(vec![none], false, None);
        let words = adjustments(Some(&e), None, None, 30, true);
        assert_eq!(words.len(), 1);
        assert!(
            words[0]
                .text
                .starts_with("Keine Antworten an diesen Touchpoints")
        );
    }

    #[test]
    fn an_unmeasurable_action_says_what_to_fix() {
        let problem = FieldProblem::new(
            "touchpoint_ids",
            touchpoints_core::Problem::Invalid {
                reason: "the action names no touchpoint to measure at".into(),
            },
        );
        let words = adjustments(None, Some(&problem), None, 30, false);
        assert_eq!(words[0].kind, AdjustmentKind::Unmeasurable);
        assert_eq!(
            words[0].text,
            "Cannot be measured: it names no touchpoint. Name the touchpoints it works at."
        );
    }
}
