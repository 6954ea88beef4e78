//! Response times and compliance over a period: what the queue's statistics page and the API
//! show.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use touchpoints_core::queue_stats::{Summary, summarize, summarize_by};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::Store;

use crate::Result;

/// The longest period the statistics cover, in days.
pub const MAX_DAYS: i64 = 366;

/// Response times and compliance over a period.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub from: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub until: Timestamp,
    pub overall: Summary,
    pub by_channel: BTreeMap<String, Summary>,
    /// By touchpoint id; requests without a touchpoint under 0.
    pub by_touchpoint: BTreeMap<i64, Summary>,
}

/// The statistics of the requests received in the `days` days (1 to [`MAX_DAYS`]) before
/// `now`.
pub async fn stats(store: &dyn Store, days: i64, now: Timestamp) -> Result<Stats> {
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
    let from = now
        .checked_sub(SignedDuration::from_hours(24 * days))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let records = store.response_records(from, now).await?;
    Ok(Stats {
        from,
        until: now,
        overall: summarize(&records, now),
        by_channel: summarize_by(&records, |r| r.channel.clone(), now),
        by_touchpoint: summarize_by(&records, |r| r.touchpoint_id.unwrap_or(0), now),
    })
}
