//! Whether an action worked: at its touchpoints, the answers and the response times of a
//! window before its start against a window after, each metric judged by the core's tests
//! (`kpi::effect`), never a verdict from noise.
//!
//! The windows are days in the organisation's time zone: `days` before the start, and `days`
//! from the start, cut at the end of today while they are still running. The start is the
//! action's start date, or else the day it first went into progress.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use touchpoints_core::action_plan::ActionStatus;
use touchpoints_core::kpi::{Effect, Metric, Tally, effect, local_day};
use touchpoints_core::queue_stats::{Summary, summarize};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{Resolution, Store, StoredAction};

use crate::Result;

/// The length of each window when none is asked for, in days.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest window, in days.
pub const MAX_DAYS: i64 = 365;

/// Days from `from` up to `until` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Window {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    /// The first day after the window.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub until: Date,
}

/// The response times of the requests received at the action's touchpoints in each window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseTimes {
    pub before: Summary,
    pub after: Summary,
}

/// An action's effect at its touchpoints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionEffect {
    pub action_id: i64,
    pub touchpoint_ids: Vec<i64>,
    /// The day the action started: its start date, or the day it first went into progress.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start: Date,
    pub before: Window,
    pub after: Window,
    /// The after window is still running: it ends today, before its full length.
    pub running: bool,
    /// NPS, CSAT and CES, each before and after with the difference, its 95% interval and
    /// p-value, and the verdict.
    pub metrics: Vec<Effect>,
    pub response_times: ResponseTimes,
}

/// The effect of action `id` with windows of `days` days ([`DEFAULT_DAYS`] when `None`) at
/// `now`. Refused, naming the field: `days` outside 1 to [`MAX_DAYS`]; an action with no
/// touchpoint (`touchpoint_ids`), no start (`start`), or a start after today.
pub async fn action_effect(
    store: &dyn Store,
    id: i64,
    days: Option<i64>,
    now: Timestamp,
) -> Result<ActionEffect> {
    let days = checked_days(days)?;
    let action = store.action(id).await?;
    let tz = time_zone(store).await?;
    effect_of(store, &action, days, &tz, now).await
}

/// `days` as asked ([`DEFAULT_DAYS`] when `None`), or the problem naming `days` when it is
/// outside 1 to [`MAX_DAYS`].
pub fn checked_days(days: Option<i64>) -> Result<i64> {
    let days = days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Problems::single(
            "days",
            Problem::OutOfRange {
                min: 1,
                max: MAX_DAYS,
            },
        )
        .into());
    }
    Ok(days)
}

/// The organisation's time zone, which the windows' days are counted in.
pub async fn time_zone(store: &dyn Store) -> Result<TimeZone> {
    Ok(TimeZone::get(&store.time_zone().await?).unwrap_or(TimeZone::UTC))
}

/// The effect of an action already read, with windows of `days` days (checked by
/// [`checked_days`]) in `tz`: what [`action_effect`] answers, refusals included. Reads the
/// day roll-ups of the two windows and the requests received in them, and the action's
/// history only when it has no start date.
pub async fn effect_of(
    store: &dyn Store,
    action: &StoredAction,
    days: i64,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<ActionEffect> {
    let id = action.id;
    let tz = tz.clone();
    let touchpoints: BTreeSet<i64> = action.fields.touchpoint_ids.iter().copied().collect();
    if touchpoints.is_empty() {
        return Err(refused(
            "touchpoint_ids",
            "the action names no touchpoint to measure at",
        ));
    }
    let start = match action.fields.start {
        Some(start) => start,
        None => started_in_progress(store, id, &tz).await?.ok_or_else(|| {
            refused(
                "start",
                "the action has no start date and was never in progress",
            )
        })?,
    };
    let today = local_day(now, &tz);
    if start > today {
        return Err(refused(
            "start",
            &format!("the action starts on {start}: there is no after yet"),
        ));
    }
    let (before, after, running) = windows(start, days, today)
        .ok_or_else(|| refused("days", "the windows reach beyond the calendar"))?;

    let mut metrics = Vec::with_capacity(Metric::ALL.len());
    for metric in Metric::ALL {
        let (earlier, later) = tokio::join!(
            tally(store, metric, before, &touchpoints),
            tally(store, metric, after, &touchpoints),
        );
        metrics.push(effect(metric, &earlier?, &later?));
    }
    let at = |day: Date| {
        day.to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|e| crate::AppError::Internal(format!("day {day} in the time zone: {e}")))
    };
    let (from, middle, until) = (at(before.from)?, at(after.from)?, at(after.until)?);
    let ids: Vec<i64> = touchpoints.iter().copied().collect();
    let records = store
        .touchpoint_response_records(&ids, from, until.min(now))
        .await?;
    let (mut earlier, mut later) = (Vec::new(), Vec::new());
    for record in &records {
        if record.received_at < middle {
            earlier.push(record);
        } else {
            later.push(record);
        }
    }
    Ok(ActionEffect {
        action_id: id,
        touchpoint_ids: touchpoints.into_iter().collect(),
        start,
        before,
        after,
        running,
        metrics,
        response_times: ResponseTimes {
            before: summarize(earlier, now),
            after: summarize(later, now),
        },
    })
}

fn refused(field: &str, reason: &str) -> crate::AppError {
    Problems::single(
        field,
        Problem::Invalid {
            reason: reason.to_owned(),
        },
    )
    .into()
}

/// The day, in `tz`, the action first went into progress, if it ever did.
async fn started_in_progress(store: &dyn Store, id: i64, tz: &TimeZone) -> Result<Option<Date>> {
    Ok(store
        .action_history(id)
        .await?
        .iter()
        .filter(|entry| entry.to == ActionStatus::InProgress)
        .map(|entry| entry.at)
        .min()
        .map(|at| local_day(at, tz)))
}

/// The window of `days` before `start`, and the one of `days` from `start`, cut after today;
/// and whether that cut shortened the second.
fn windows(start: Date, days: i64, today: Date) -> Option<(Window, Window, bool)> {
    let from = start.checked_sub(days.days()).ok()?;
    let full_until = start.checked_add(days.days()).ok()?;
    let tomorrow = today.checked_add(1.day()).ok()?;
    Some((
        Window { from, until: start },
        Window {
            from: start,
            until: full_until.min(tomorrow),
        },
        tomorrow < full_until,
    ))
}

/// The answers of `metric` at `touchpoints` in `window`, from the day roll-ups.
async fn tally(
    store: &dyn Store,
    metric: Metric,
    window: Window,
    touchpoints: &BTreeSet<i64>,
) -> Result<Tally> {
    let rows = store
        .tallies_by_place(Resolution::Day, metric, window.from, window.until)
        .await?;
    let mut tally = Tally::default();
    for row in rows
        .iter()
        .filter(|row| touchpoints.contains(&row.touchpoint_id))
    {
        tally.merge(&row.tally);
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn windows_meet_at_the_start_and_the_after_one_ends_with_today() {
        let (before, after, running) =
            windows(date(2026, 11, 1), 30, date(2026, 12, 4)).expect("windows");
        assert!(!running);
        assert_eq!(
            before,
            Window {
                from: date(2026, 10, 2),
                until: date(2026, 11, 1)
            }
        );
        assert_eq!(
            after,
            Window {
                from: date(2026, 11, 1),
                until: date(2026, 12, 1)
            }
        );
        let (_, after, running) =
            windows(date(2026, 11, 20), 30, date(2026, 12, 4)).expect("windows");
        assert_eq!(after.until, date(2026, 12, 5), "today is the last day");
        assert!(running);
    }
}
