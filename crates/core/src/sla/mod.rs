//! Response-time targets counted in business hours: the SLA clock.
//!
//! A target such as "answer within 4 business hours" runs only while the organisation is
//! open ([`Hours`]: around the clock, or by a [`Calendar`] of weekly opening hours, public
//! holidays and the organisation's own closing days) and not while it waits for the customer
//! ([`Pause`]). [`due_at`] says when a target is reached, [`business_time`] how much of it
//! has been used; each is the other's inverse.
//!
//! # Clock changes
//!
//! Opening hours are read on the wall clock of the calendar's time zone and counted in real
//! elapsed time. An opening or closing time is the first instant at which the zone's clocks
//! show that time or a later one: where clocks are set back and a wall time occurs twice,
//! its first occurrence; where they are set forward and it does not occur at all, the
//! instant of the switch. So in Europe/Berlin 08:00-17:00 is 9 hours on either switching
//! day; 00:00-24:00 is 23 hours on the day clocks go forward and 25 hours on the day they go
//! back; 02:00-03:00 is empty on the first and 2 hours long on the second. [`Hours::AlwaysOpen`]
//! is plain elapsed time and agrees with a calendar open 00:00-24:00 every day.
//!
//! # Cost
//!
//! The clock walks the calendar one civil day at a time, with one holiday lookup and two
//! time-zone conversions per opening interval, and jumps over long pauses: its work grows
//! with the days between the start and the due time, never with the target in minutes.

mod calendar;
mod clock;
mod holidays;

pub use calendar::{
    CUSTOM_HOLIDAYS_MAX, Calendar, CalendarInput, IntervalError, OpeningInterval, PublicHolidays,
    WeekHoursInput,
};
pub use clock::{Hours, Pause, business_time, due_at, next_open};
pub use holidays::{GermanState, Holiday, easter_sunday, german_holidays};

#[cfg(test)]
mod tests;
