//! The plan's money and time: planned against spent per quarter, per touchpoint and per kind
//! of action, and the actions on a timeline from start to due.
//!
//! A dropped action's plan no longer counts, what it spent does. An action at several
//! touchpoints shares its money among them evenly, the odd cents going to the first ones
//! (by id), so that the rows of touchpoints add up to the total; actions without a
//! touchpoint (a launch not yet in the inventory) have a row of their own.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;
use touchpoints_core::TouchpointFilter;
use touchpoints_core::action_plan::{ActionKind, ActionStatus, Quarter};
use touchpoints_store::{Store, StoredAction};

use crate::Result;

/// Money planned and spent, in cents, and how many actions it comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sums {
    pub planned_cents: i64,
    pub spent_cents: i64,
    /// Actions with money in this row.
    pub actions: u64,
}

impl Sums {
    fn add(&mut self, planned_cents: i64, spent_cents: i64) {
        self.planned_cents = self.planned_cents.saturating_add(planned_cents);
        self.spent_cents = self.spent_cents.saturating_add(spent_cents);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterSums {
    /// `2027-Q1`.
    pub quarter: String,
    #[serde(flatten)]
    pub sums: Sums,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TouchpointSums {
    /// Absent for the actions without a touchpoint.
    pub touchpoint_id: Option<i64>,
    pub name: Option<String>,
    #[serde(flatten)]
    pub sums: Sums,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindSums {
    pub kind: ActionKind,
    #[serde(flatten)]
    pub sums: Sums,
}

/// An action on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineItem {
    pub action_id: i64,
    pub title: String,
    pub kind: ActionKind,
    pub status: ActionStatus,
    /// The start, or the due day when it has none.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    /// The due day, or the start when it has none.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub until: Date,
}

/// The budget and the timeline of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetReport {
    pub total: Sums,
    /// In order of the quarters.
    pub by_quarter: Vec<QuarterSums>,
    /// By touchpoint id, the actions without a touchpoint last.
    pub by_touchpoint: Vec<TouchpointSums>,
    /// Optimise, launch, retire.
    pub by_kind: Vec<KindSums>,
    /// Actions with a start or a due day, by start.
    pub timeline: Vec<TimelineItem>,
    /// Actions with neither, left off the timeline.
    pub undated: u64,
}

/// The budget and timeline of the stored plan.
pub async fn budget(store: &dyn Store) -> Result<BudgetReport> {
    let actions = store.actions().await?;
    let names: HashMap<i64, String> = store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.id, t.fields.name))
        .collect();
    Ok(report(&actions, &names))
}

/// `total` shared among `n` evenly, the first `total % n` shares a cent more.
fn shares(total: i64, n: usize) -> impl Iterator<Item = i64> {
    let n = n.max(1) as i64;
    let (each, rest) = (total / n, total % n);
    (0..n).map(move |i| each + i64::from(i < rest))
}

/// The report of `actions`, touchpoints named by `names`.
pub fn report(actions: &[StoredAction], names: &HashMap<i64, String>) -> BudgetReport {
    let mut total = Sums::default();
    let mut by_quarter: BTreeMap<Quarter, Sums> = BTreeMap::new();
    let mut by_touchpoint: BTreeMap<Option<i64>, Sums> = BTreeMap::new();
    let mut by_kind: BTreeMap<usize, Sums> = BTreeMap::new();
    for action in actions {
        let counts_plan = action.status != ActionStatus::Dropped;
        let (mut planned, mut spent) = (0i64, 0i64);
        for (quarter, budget) in &action.fields.budgets {
            let p = if counts_plan { budget.planned_cents } else { 0 };
            if p == 0 && budget.spent_cents == 0 {
                continue;
            }
            let row = by_quarter.entry(*quarter).or_default();
            row.add(p, budget.spent_cents);
            row.actions += 1;
            planned = planned.saturating_add(p);
            spent = spent.saturating_add(budget.spent_cents);
        }
        if planned == 0 && spent == 0 {
            continue;
        }
        total.add(planned, spent);
        total.actions += 1;
        let kind = ActionKind::ALL
            .iter()
            .position(|k| *k == action.fields.kind)
            .unwrap_or(0);
        let row = by_kind.entry(kind).or_default();
        row.add(planned, spent);
        row.actions += 1;
        let ids = &action.fields.touchpoint_ids;
        if ids.is_empty() {
            let row = by_touchpoint.entry(None).or_default();
            row.add(planned, spent);
            row.actions += 1;
        } else {
            for ((id, p), s) in ids
                .iter()
                .zip(shares(planned, ids.len()))
                .zip(shares(spent, ids.len()))
            {
                let row = by_touchpoint.entry(Some(*id)).or_default();
                row.add(p, s);
                row.actions += 1;
            }
        }
    }
    let mut timeline: Vec<TimelineItem> = actions
        .iter()
        .filter_map(|a| {
            let (from, until) = match (a.fields.start, a.fields.due) {
                (Some(s), Some(d)) => (s, d),
                (Some(s), None) => (s, s),
                (None, Some(d)) => (d, d),
                (None, None) => return None,
            };
            Some(TimelineItem {
                action_id: a.id,
                title: a.fields.title.clone(),
                kind: a.fields.kind,
                status: a.status,
                from,
                until,
            })
        })
        .collect();
    timeline.sort_by_key(|t| (t.from, t.until, t.action_id));
    let undated = (actions.len() - timeline.len()) as u64;
    // Touchpoints by id, the row without one last.
    let mut touchpoint_rows: Vec<TouchpointSums> = by_touchpoint
        .into_iter()
        .map(|(id, sums)| TouchpointSums {
            touchpoint_id: id,
            name: id.map(|id| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))),
            sums,
        })
        .collect();
    touchpoint_rows.sort_by_key(|r| (r.touchpoint_id.is_none(), r.touchpoint_id));
    BudgetReport {
        total,
        by_quarter: by_quarter
            .into_iter()
            .map(|(q, sums)| QuarterSums {
                quarter: q.to_string(),
                sums,
            })
            .collect(),
        by_touchpoint: touchpoint_rows,
        by_kind: ActionKind::ALL
            .iter()
            .enumerate()
            .map(|(i, kind)| KindSums {
                kind: *kind,
                sums: by_kind.get(&i).copied().unwrap_or_default(),
            })
            .collect(),
        timeline,
        undated,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::Timestamp;
    use jiff::civil::date;
    use touchpoints_core::action_plan::{ActionInput, Budget};

    use super::*;

    fn action(
        id: i64,
        kind: ActionKind,
        status: ActionStatus,
        touchpoints: Vec<i64>,
        budgets: &[(&str, i64, i64)],
        dates: (Option<Date>, Option<Date>),
    ) -> StoredAction {
        StoredAction {
            id,
            fields: ActionInput {
                kind,
                title: format!("Aktion {id}"),
                touchpoint_ids: touchpoints,
                start: dates.0,
                due: dates.1,
                budgets: budgets
                    .iter()
                    .map(|(q, p, s)| {
                        (
                            (*q).to_owned(),
                            Budget {
                                planned_cents: *p,
                                spent_cents: *s,
                            },
                        )
                    })
                    .collect(),
                ..ActionInput::default()
            }
            .validate()
            .unwrap(),
            status,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn money_is_summed_by_quarter_touchpoint_and_kind() {
        use ActionKind::*;
        use ActionStatus::*;
        let actions = [
            // 1,000.01 € planned over two touchpoints: 500.01 and 500.00.
            action(
                1,
                Optimise,
                InProgress,
                vec![1, 2],
                &[("2027-Q1", 60_000, 10_000), ("2027-Q2", 40_001, 0)],
                (Some(date(2027, 1, 4)), Some(date(2027, 5, 31))),
            ),
            action(
                2,
                Launch,
                Planned,
                vec![],
                &[("2027-Q2", 250_000, 0)],
                (None, Some(date(2027, 6, 30))),
            ),
            // Dropped: its plan no longer counts, what it spent does.
            action(
                3,
                Retire,
                Dropped,
                vec![2],
                &[("2027-Q1", 99_999, 3_000)],
                (None, None),
            ),
            action(
                4,
                Optimise,
                Idea,
                vec![3],
                &[],
                (Some(date(2026, 12, 1)), None),
            ),
        ];
        let names = HashMap::from([(1, "Hotline".to_owned()), (2, "Filiale".to_owned())]);
        let r = report(&actions, &names);
        assert_eq!(
            r.total,
            Sums {
                planned_cents: 350_001,
                spent_cents: 13_000,
                actions: 3
            }
        );
        let quarters: Vec<(&str, i64, i64, u64)> = r
            .by_quarter
            .iter()
            .map(|q| {
                (
                    q.quarter.as_str(),
                    q.sums.planned_cents,
                    q.sums.spent_cents,
                    q.sums.actions,
                )
            })
            .collect();
        assert_eq!(
            quarters,
            [("2027-Q1", 60_000, 13_000, 2), ("2027-Q2", 290_001, 0, 2)]
        );
        let touchpoints: Vec<(Option<i64>, Option<&str>, i64, i64)> = r
            .by_touchpoint
            .iter()
            .map(|t| {
                (
                    t.touchpoint_id,
                    t.name.as_deref(),
                    t.sums.planned_cents,
                    t.sums.spent_cents,
                )
            })
            .collect();
        assert_eq!(
            touchpoints,
            [
                (Some(1), Some("Hotline"), 50_001, 5_000),
                (Some(2), Some("Filiale"), 50_000, 8_000),
                (None, None, 250_000, 0),
            ]
        );
        let kinds: Vec<(ActionKind, i64, i64)> = r
            .by_kind
            .iter()
            .map(|k| (k.kind, k.sums.planned_cents, k.sums.spent_cents))
            .collect();
        assert_eq!(
            kinds,
            [
                (Optimise, 100_001, 10_000),
                (Launch, 250_000, 0),
                (Retire, 0, 3_000)
            ]
        );
        let timeline: Vec<(i64, Date, Date)> = r
            .timeline
            .iter()
            .map(|t| (t.action_id, t.from, t.until))
            .collect();
        assert_eq!(
            timeline,
            [
                (4, date(2026, 12, 1), date(2026, 12, 1)),
                (1, date(2027, 1, 4), date(2027, 5, 31)),
                (2, date(2027, 6, 30), date(2027, 6, 30)),
            ]
        );
        assert_eq!(r.undated, 1);
    }
}
