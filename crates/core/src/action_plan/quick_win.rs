//! The quick win: the open action with the most impact per person-day of effort among those
//! small and short enough to be finished soon, because an early success keeps people going.
//! The rule and its thresholds are shown to the manager and can be changed.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ActionStatus;

/// What makes an action a candidate for the quick win.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct QuickWinRule {
    /// Finished within this many days of its start (start to due date, both counted).
    pub max_days: i64,
    /// At most this much effort, in person-days (a budget counted at the day rate).
    pub max_effort_days: f64,
}

impl Default for QuickWinRule {
    fn default() -> Self {
        QuickWinRule {
            max_days: 14,
            max_effort_days: 10.0,
        }
    }
}

/// What the rule needs to know of an action.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub status: ActionStatus,
    pub start: Option<Date>,
    pub due: Option<Date>,
    pub impact: f64,
    pub effort_days: f64,
}

/// The rule's answer: the chosen action's index, or why none qualifies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum QuickWin {
    /// `index` into the candidates: the highest impact per person-day among those that
    /// qualify (ties: the earlier due date, then the earlier in the list).
    Chosen {
        index: usize,
        impact_per_day: f64,
        days: i64,
    },
    /// No action is open (idea, planned or in progress).
    NoOpenAction,
    /// Open actions exist, but none is done within `max_days` of its start (or has both dates).
    NoneShortEnough,
    /// Short ones exist, but each takes more than `max_effort_days`.
    NoneSmallEnough,
    /// Short and small ones exist, but none addresses anything measured.
    NoneWithImpact,
}

/// Picks the quick win of `candidates` by `rule`.
pub fn quick_win(candidates: &[Candidate], rule: &QuickWinRule) -> QuickWin {
    let open: Vec<(usize, &Candidate)> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status.is_open())
        .collect();
    if open.is_empty() {
        return QuickWin::NoOpenAction;
    }
    let short: Vec<(usize, &Candidate, i64)> = open
        .into_iter()
        .filter_map(|(i, c)| {
            let days = days_between(c.start?, c.due?)?;
            (days <= rule.max_days).then_some((i, c, days))
        })
        .collect();
    if short.is_empty() {
        return QuickWin::NoneShortEnough;
    }
    let small: Vec<(usize, &Candidate, i64)> = short
        .into_iter()
        .filter(|(_, c, _)| c.effort_days <= rule.max_effort_days)
        .collect();
    if small.is_empty() {
        return QuickWin::NoneSmallEnough;
    }
    // Half a person-day at least: an action stated without effort is not infinitely cheap.
    let per_day = |c: &Candidate| c.impact / c.effort_days.max(0.5);
    small
        .into_iter()
        .filter(|(_, c, _)| c.impact > 0.0)
        .min_by(|(i, a, _), (j, b, _)| {
            per_day(b)
                .total_cmp(&per_day(a))
                .then(a.due.cmp(&b.due))
                .then(i.cmp(j))
        })
        .map_or(QuickWin::NoneWithImpact, |(index, c, days)| {
            QuickWin::Chosen {
                index,
                impact_per_day: per_day(c),
                days,
            }
        })
}

/// Days from `start` to `due`, both counted; `None` when due comes first.
fn days_between(start: Date, due: Date) -> Option<i64> {
    let span = start.until(due).ok()?.get_days();
    (span >= 0).then_some(i64::from(span) + 1)
}

impl QuickWin {
    /// Why, in words, in German for `lang` `de`, else in English.
    pub fn describe(&self, lang: &str, rule: &QuickWinRule) -> String {
        let german = crate::priority::reason::is_german(lang);
        let (max_days, max_effort) = (rule.max_days, rule.max_effort_days);
        match (self, german) {
            (
                QuickWin::Chosen {
                    impact_per_day,
                    days,
                    ..
                },
                true,
            ) => format!(
                "Quick Win: in {days} Tagen erledigt, {} Punkte je Personentag – \
                 der höchste Wert aller Maßnahmen, die in {max_days} Tagen mit höchstens \
                 {max_effort} Personentagen fertig werden",
                one_decimal(*impact_per_day, true)
            ),
            (
                QuickWin::Chosen {
                    impact_per_day,
                    days,
                    ..
                },
                false,
            ) => format!(
                "quick win: done in {days} days, {} points per person-day – the most of all \
                 actions finished within {max_days} days with at most {max_effort} person-days",
                one_decimal(*impact_per_day, false)
            ),
            (QuickWin::NoOpenAction, true) => {
                "Kein Quick Win: keine offene Maßnahme (Idee, geplant, in Arbeit)".into()
            }
            (QuickWin::NoOpenAction, false) => {
                "no quick win: no open action (idea, planned, in progress)".into()
            }
            (QuickWin::NoneShortEnough, true) => format!(
                "Kein Quick Win: keine offene Maßnahme mit Start und Fälligkeit wird in \
                 {max_days} Tagen fertig"
            ),
            (QuickWin::NoneShortEnough, false) => format!(
                "no quick win: no open action with a start and a due date is done within \
                 {max_days} days"
            ),
            (QuickWin::NoneSmallEnough, true) => format!(
                "Kein Quick Win: jede kurze Maßnahme braucht mehr als {max_effort} Personentage"
            ),
            (QuickWin::NoneSmallEnough, false) => {
                format!("no quick win: every short action takes more than {max_effort} person-days")
            }
            (QuickWin::NoneWithImpact, true) => {
                "Kein Quick Win: keine kurze, kleine Maßnahme behebt eine gemessene Schwäche".into()
            }
            (QuickWin::NoneWithImpact, false) => {
                "no quick win: no short, small action addresses a measured weakness".into()
            }
        }
    }
}

fn one_decimal(value: f64, german: bool) -> String {
    let text = format!("{value:.1}");
    if german { text.replace('.', ",") } else { text }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn action(status: ActionStatus, days: Option<i8>, impact: f64, effort: f64) -> Candidate {
        let start = date(2026, 3, 2);
        Candidate {
            status,
            start: Some(start),
            due: days.map(|d| {
                start
                    .checked_add(jiff::Span::new().days(d - 1))
                    .expect("date")
            }),
            impact,
            effort_days: effort,
        }
    }

    #[test]
    fn the_most_impact_per_day_among_short_small_open_actions() {
        use ActionStatus::*;
        let candidates = [
            action(Planned, Some(10), 40.0, 8.0),    // 5 per day
            action(Idea, Some(14), 30.0, 2.0),       // 15 per day, 14 days: still short
            action(Done, Some(3), 100.0, 1.0),       // done: not a candidate
            action(InProgress, Some(15), 90.0, 1.0), // 15 days: too long
            action(Planned, Some(5), 60.0, 12.0),    // too much effort
            action(Planned, None, 90.0, 1.0),        // no due date
        ];
        let rule = QuickWinRule::default();
        let win = quick_win(&candidates, &rule);
        assert_eq!(
            win,
            QuickWin::Chosen {
                index: 1,
                impact_per_day: 15.0,
                days: 14
            }
        );
        assert_eq!(
            win.describe("en", &rule),
            "quick win: done in 14 days, 15.0 points per person-day – the most of all actions \
             finished within 14 days with at most 10 person-days"
        );
    }

    #[test]
    fn says_why_there_is_none() {
        use ActionStatus::*;
        let rule = QuickWinRule::default();
        assert_eq!(quick_win(&[], &rule), QuickWin::NoOpenAction);
        assert_eq!(
            quick_win(&[action(Dropped, Some(3), 50.0, 1.0)], &rule),
            QuickWin::NoOpenAction
        );
        assert_eq!(
            quick_win(&[action(Planned, Some(30), 50.0, 1.0)], &rule),
            QuickWin::NoneShortEnough
        );
        assert_eq!(
            quick_win(&[action(Planned, Some(7), 50.0, 11.0)], &rule),
            QuickWin::NoneSmallEnough
        );
        let none = quick_win(&[action(Planned, Some(7), 0.0, 1.0)], &rule);
        assert_eq!(none, QuickWin::NoneWithImpact);
        assert_eq!(
            none.describe("de", &rule),
            "Kein Quick Win: keine kurze, kleine Maßnahme behebt eine gemessene Schwäche"
        );
        // The thresholds are the manager's: 30 days make the long one a quick win.
        let longer = QuickWinRule {
            max_days: 30,
            ..rule
        };
        assert!(matches!(
            quick_win(&[action(Planned, Some(30), 50.0, 1.0)], &longer),
            QuickWin::Chosen { index: 0, .. }
        ));
    }

    #[test]
    fn ties_go_to_the_earlier_due_date() {
        use ActionStatus::*;
        let candidates = [
            action(Planned, Some(9), 20.0, 2.0),
            action(Planned, Some(4), 10.0, 1.0),
        ];
        assert!(matches!(
            quick_win(&candidates, &QuickWinRule::default()),
            QuickWin::Chosen { index: 1, .. }
        ));
    }
}
