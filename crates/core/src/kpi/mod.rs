//! Survey and customer KPIs by their standard definitions, from mergeable counts.
//!
//! Answers are rolled up into [`Tally`]s per day; a longer period is the merge of its days, so
//! every value here can be computed from stored roll-ups without reading an answer twice.
//! [`estimate`] turns a tally into a value with its standard error and 95% interval,
//! [`change`] tells whether a period differs from the one before by more than the noise,
//! [`effect`] compares the windows before and after a change with a test per metric, and
//! [`local_day`] and [`period_start`] map instants to the organisation's days and days to
//! periods.
//! The customer side derives joins and departures from activity events ([`memberships`]) and
//! computes [`retention`] and [`revenue_growth`] from the resulting counts.

mod customers;
mod effect;
mod estimate;
mod metric;
mod period;

pub use customers::{
    CustomerEventKind, Membership, Retention, last_event, memberships, memberships_after,
    retention, revenue_growth,
};
pub use effect::{Difference, Effect, Test, Verdict, effect};
pub use estimate::{Change, Estimate, MIN_ANSWERS, change, estimate, percentage};
pub use metric::{Metric, Tally};
pub use period::{
    Granularity, day_from_number, day_number, local_day, next_period, period_label, period_start,
    previous_period,
};
