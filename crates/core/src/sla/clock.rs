//! The clock itself: when a target of business time is reached, and how much business time
//! lies between two instants.
//!
//! Both walk the same sequence: the open stretches of real time, day by day from the start,
//! minus the pauses, so that the two agree to the nanosecond.

use std::cmp::{max, min};

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::calendar::{Calendar, MINUTES_PER_DAY};

/// When the clock runs. Stored as `{"kind": "always_open"}` or as `{"kind": "business"}`
/// with the fields of a [`CalendarInput`](super::CalendarInput).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "a few per organisation, read far more often than moved; a box buys nothing"
)]
pub enum Hours {
    /// Around the clock, every day: for channels that promise 24/7 service.
    AlwaysOpen,
    /// During the opening hours of a calendar.
    Business(Calendar),
}

/// A stretch during which the clock stands still, typically while waiting for the customer.
/// A pause whose `until` is not after `from` pauses nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// When the clock stopped.
    pub from: Timestamp,
    /// When the clock runs again; `None` while it is still paused.
    pub until: Option<Timestamp>,
}

/// The instant at which `target` of open, unpaused time has passed since `start`: the
/// earliest instant `t` with `business_time(hours, start, t, pauses) == target`.
///
/// A request that arrives while closed starts counting at the next opening; a target used
/// up exactly at closing time is due at closing time, not at the next opening. A target of
/// zero or less is due at `start`. Returns `None` when an open-ended pause begins before the
/// target is reached (the due time depends on when it ends), and when the due time would lie
/// beyond the dates jiff represents (year 9999).
pub fn due_at(
    hours: &Hours,
    start: Timestamp,
    target: SignedDuration,
    pauses: &[Pause],
) -> Option<Timestamp> {
    if target <= SignedDuration::ZERO {
        return Some(start);
    }
    let mut remaining = target;
    for stretch in RunningTime::new(hours, start, pauses) {
        let length = stretch.length();
        if remaining <= length {
            return stretch.start.checked_add(remaining).ok();
        }
        remaining -= length;
    }
    None
}

/// When the clock next runs from `at` on: `at` itself while open, else the next opening.
/// `None` when it never opens again within the dates jiff represents.
pub fn next_open(hours: &Hours, at: Timestamp) -> Option<Timestamp> {
    RunningTime::new(hours, at, &[])
        .next()
        .map(|stretch| max(stretch.start, at))
}

/// The open, unpaused time between `from` and `to`; zero when `to` is not after `from`.
pub fn business_time(
    hours: &Hours,
    from: Timestamp,
    to: Timestamp,
    pauses: &[Pause],
) -> SignedDuration {
    let mut total = SignedDuration::ZERO;
    if to <= from {
        return total;
    }
    for stretch in RunningTime::new(hours, from, pauses) {
        if stretch.start >= to {
            break;
        }
        total += min(stretch.end, to).duration_since(stretch.start);
    }
    total
}

/// A half-open stretch of real time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stretch {
    start: Timestamp,
    end: Timestamp,
}

impl Stretch {
    fn length(self) -> SignedDuration {
        self.end.duration_since(self.start)
    }
}

/// The pauses as sorted, disjoint stretches; an open-ended pause lasts to the end of time.
fn merged_pauses(pauses: &[Pause], from: Timestamp) -> Vec<Stretch> {
    let mut stretches: Vec<Stretch> = pauses
        .iter()
        .filter_map(|pause| {
            let end = pause.until.unwrap_or(Timestamp::MAX);
            (end > pause.from && end > from).then_some(Stretch {
                start: pause.from,
                end,
            })
        })
        .collect();
    stretches.sort_by_key(|stretch| stretch.start);
    let mut merged: Vec<Stretch> = Vec::with_capacity(stretches.len());
    for stretch in stretches {
        match merged.last_mut() {
            Some(last) if stretch.start <= last.end => last.end = max(last.end, stretch.end),
            _ => merged.push(stretch),
        }
    }
    merged
}

/// The stretches during which the clock runs, in order: open time minus pauses, from a
/// starting instant on.
struct RunningTime<'a> {
    open: OpenTime<'a>,
    pauses: Vec<Stretch>,
    /// The first pause that may still cut into open time.
    next_pause: usize,
    /// The part of the current open stretch not yet handed out.
    current: Option<Stretch>,
}

impl<'a> RunningTime<'a> {
    fn new(hours: &'a Hours, from: Timestamp, pauses: &[Pause]) -> RunningTime<'a> {
        RunningTime {
            open: OpenTime::new(hours, from),
            pauses: merged_pauses(pauses, from),
            next_pause: 0,
            current: None,
        }
    }
}

impl Iterator for RunningTime<'_> {
    type Item = Stretch;

    fn next(&mut self) -> Option<Stretch> {
        loop {
            let mut open = match self.current.take() {
                Some(rest) => rest,
                None => self.open.next()?,
            };
            while self
                .pauses
                .get(self.next_pause)
                .is_some_and(|pause| pause.end <= open.start)
            {
                self.next_pause += 1;
            }
            let Some(&pause) = self.pauses.get(self.next_pause) else {
                return Some(open);
            };
            if pause.start >= open.end {
                return Some(open);
            }
            if pause.start > open.start {
                self.current = Some(Stretch {
                    start: pause.start,
                    end: open.end,
                });
                return Some(Stretch {
                    start: open.start,
                    end: pause.start,
                });
            }
            // The pause holds the clock at the start of this stretch.
            if pause.end == Timestamp::MAX {
                return None;
            }
            open.start = pause.end;
            if open.start < open.end {
                self.current = Some(open);
            } else {
                // A long pause would otherwise be walked through one closed day at a time.
                self.open.skip_to(pause.end);
            }
        }
    }
}

/// The open stretches of real time from an instant on, in order.
enum OpenTime<'a> {
    Always { from: Option<Timestamp> },
    Business(BusinessDays<'a>),
}

impl<'a> OpenTime<'a> {
    fn new(hours: &'a Hours, from: Timestamp) -> OpenTime<'a> {
        match hours {
            Hours::AlwaysOpen => OpenTime::Always { from: Some(from) },
            Hours::Business(calendar) => OpenTime::Business(BusinessDays::new(calendar, from)),
        }
    }

    /// Hands out no time before `instant` from now on.
    fn skip_to(&mut self, instant: Timestamp) {
        match self {
            OpenTime::Always { from } => {
                if let Some(from) = from {
                    *from = max(*from, instant);
                }
            }
            OpenTime::Business(days) => days.skip_to(instant),
        }
    }

    fn next(&mut self) -> Option<Stretch> {
        match self {
            OpenTime::Always { from } => from.take().map(|start| Stretch {
                start,
                end: Timestamp::MAX,
            }),
            OpenTime::Business(days) => days.next(),
        }
    }
}

/// The opening hours of a calendar, expanded one civil day at a time, with clock changes
/// handled as the module documentation describes.
struct BusinessDays<'a> {
    calendar: &'a Calendar,
    /// No time before this instant is handed out.
    floor: Timestamp,
    /// The next civil day to expand; `None` past the last date jiff represents.
    next_day: Option<Date>,
    /// Stretches of the day last expanded not yet handed out, the earliest last.
    pending: Vec<Stretch>,
    /// Public holidays of one year, looked up once per year walked through.
    holiday_year: Option<(i16, Vec<Date>)>,
}

impl<'a> BusinessDays<'a> {
    fn new(calendar: &'a Calendar, from: Timestamp) -> BusinessDays<'a> {
        let next_day = if calendar.is_never_open() {
            None
        } else {
            Some(calendar.time_zone().to_datetime(from).date())
        };
        BusinessDays {
            calendar,
            floor: from,
            next_day,
            pending: Vec::new(),
            holiday_year: None,
        }
    }

    fn skip_to(&mut self, instant: Timestamp) {
        if instant <= self.floor {
            return;
        }
        self.floor = instant;
        // Days before the wall-clock date of `instant` close no later than it starts, since
        // the mapping from wall time to instants never runs backwards.
        let day = self.calendar.time_zone().to_datetime(instant).date();
        if let Some(next_day) = self.next_day
            && next_day < day
        {
            self.next_day = Some(day);
            self.pending.clear();
        }
    }

    fn next(&mut self) -> Option<Stretch> {
        loop {
            while let Some(stretch) = self.pending.pop() {
                if stretch.end > self.floor {
                    return Some(Stretch {
                        start: max(stretch.start, self.floor),
                        end: stretch.end,
                    });
                }
            }
            let day = self.next_day?;
            self.next_day = day.tomorrow().ok();
            self.expand(day);
        }
    }

    fn expand(&mut self, day: Date) {
        if self.is_holiday(day) {
            return;
        }
        let zone = self.calendar.time_zone();
        for interval in self.calendar.opening_hours(day.weekday()).iter().rev() {
            let start = wall_minute(day, interval.start_minute())
                .and_then(|wall| first_instant_showing(zone, wall));
            let end = wall_minute(day, interval.end_minute())
                .and_then(|wall| first_instant_showing(zone, wall));
            if let (Some(start), Some(end)) = (start, end)
                && start < end
            {
                self.pending.push(Stretch { start, end });
            }
        }
    }

    fn is_holiday(&mut self, day: Date) -> bool {
        if self.calendar.is_custom_holiday(day) {
            return true;
        }
        let year = day.year();
        let dates = match &self.holiday_year {
            Some((cached, dates)) if *cached == year => dates,
            _ => {
                let dates = self.calendar.public_holiday_dates(year);
                &self.holiday_year.insert((year, dates)).1
            }
        };
        dates.binary_search(&day).is_ok()
    }
}

/// The wall-clock time `minute` minutes after midnight starting `day`; 1440 is midnight
/// starting the next day.
fn wall_minute(day: Date, minute: u16) -> Option<DateTime> {
    if minute >= MINUTES_PER_DAY {
        return Some(day.tomorrow().ok()?.to_datetime(Time::midnight()));
    }
    let hour = i8::try_from(minute / 60).ok()?;
    let minute = i8::try_from(minute % 60).ok()?;
    Some(day.to_datetime(Time::new(hour, minute, 0, 0).ok()?))
}

/// The first instant at which the clocks of `zone` show `wall` or a later time: the first
/// occurrence of a wall time that occurs twice, the switch itself for one that is skipped.
/// Unlike jiff's "compatible" choice (the later reading of a skipped time) this never runs
/// backwards, so an interval never ends before it starts.
fn first_instant_showing(zone: &TimeZone, wall: DateTime) -> Option<Timestamp> {
    let ambiguous = zone.to_ambiguous_timestamp(wall);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { after, .. } => {
            // `wall` read with the offset after the gap is an instant before the switch;
            // the switch is the first transition following it.
            let before_switch = after.to_timestamp(wall).ok()?;
            zone.following(before_switch)
                .next()
                .map(|transition| transition.timestamp())
        }
        AmbiguousOffset::Unambiguous { .. } | AmbiguousOffset::Fold { .. } => {
            ambiguous.earlier().ok()
        }
    }
}
