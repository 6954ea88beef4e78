//! Response times and compliance over a period, and how personal the replies were: what the
//! queue's statistics page and the API show.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use jiff::{SignedDuration, Span, Timestamp};
use serde::Serialize;
use touchpoints_core::customer::IdentifierKind;
use touchpoints_core::personalisation::{Share, judge};
use touchpoints_core::queue_stats::{Summary, summarize, summarize_by};
use touchpoints_core::written;
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{CustomerProfile, Store};

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
    /// Week by week (Monday to Sunday in the organisation's time zone) by when the requests
    /// came in, every week the period touches, quiet ones too, oldest first.
    pub by_week: Vec<Week>,
    /// How personal the replies written in the period were.
    pub personalisation: Personalisation,
}

/// The requests received in one week.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Week {
    /// The week's Monday.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub week: Date,
    #[serde(flatten)]
    pub summary: Summary,
}

/// The replies of a period counted by how personal they were: addressing the customer by
/// name, using a fact of theirs (customer number, lifetime value, the day or amount of their
/// last order, as their profile and purchases stand now), both.
#[derive(Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Personalisation {
    pub overall: Share,
    pub by_channel: BTreeMap<String, Share>,
    /// By touchpoint id; requests without a touchpoint under 0.
    pub by_touchpoint: BTreeMap<i64, Share>,
    /// By the author's user name (`token:NAME` for an integration).
    pub by_agent: BTreeMap<String, Share>,
}

/// The statistics of the requests received in the `days` days (1 to [`MAX_DAYS`]) before
/// `now`, and of the replies written in them.
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
    let zone = crate::action_effect::time_zone(store).await?;
    let monday = |at: Timestamp| {
        let day = at.to_zoned(zone.clone()).date();
        day.checked_sub(Span::new().days(day.weekday().to_monday_zero_offset()))
            .unwrap_or(day)
    };
    let mut by_week = summarize_by(&records, |r| monday(r.received_at), now);
    // The quiet weeks too, so that a gap reads as one.
    let mut week = monday(from);
    while week <= monday(now) {
        by_week.entry(week).or_default();
        match week.checked_add(Span::new().days(7)) {
            Ok(next) => week = next,
            Err(_) => break,
        }
    }
    Ok(Stats {
        from,
        until: now,
        overall: summarize(&records, now),
        by_channel: summarize_by(&records, |r| r.channel.clone(), now),
        by_touchpoint: summarize_by(&records, |r| r.touchpoint_id.unwrap_or(0), now),
        by_week: by_week
            .into_iter()
            .map(|(week, summary)| Week { week, summary })
            .collect(),
        personalisation: personalisation(store, from, now).await?,
    })
}

/// How personal the replies written from `from` until `until` were.
async fn personalisation(
    store: &dyn Store,
    from: Timestamp,
    until: Timestamp,
) -> Result<Personalisation> {
    let replies = store.replies(from, until).await?;
    let ids: Vec<i64> = replies
        .iter()
        .filter_map(|r| r.customer_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let zone = crate::action_effect::time_zone(store).await?;
    let profiles = store.customers_by_id(&ids).await?;
    let refs: Vec<String> = profiles
        .iter()
        .flat_map(crate::templates::event_refs)
        .cloned()
        .collect();
    let newest = store.last_purchases(&refs).await?;
    // Each profile's name and own facts, by id.
    let customers: HashMap<i64, (String, Vec<String>)> = profiles
        .into_iter()
        .map(|profile| {
            let facts = facts_of(&profile, &newest, &zone);
            (profile.id, (profile.fields.name, facts))
        })
        .collect();
    let mut out = Personalisation::default();
    // An erased reply (its text gone) is no longer judged.
    for reply in replies.iter().filter(|r| !r.body.trim().is_empty()) {
        let known = reply.customer_id.and_then(|id| customers.get(&id));
        // The name the request came with, where the profile knows none.
        let name = known
            .map(|(name, _)| name.as_str())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&reply.customer_name);
        let facts = known.map_or(&[][..], |(_, facts)| facts.as_slice());
        let judged = judge(&reply.body, name, facts);
        out.overall.add(judged);
        out.by_channel
            .entry(reply.channel.clone())
            .or_default()
            .add(judged);
        out.by_touchpoint
            .entry(reply.touchpoint_id.unwrap_or(0))
            .or_default()
            .add(judged);
        out.by_agent
            .entry(reply.author.clone())
            .or_default()
            .add(judged);
    }
    Ok(out)
}

/// The customer's own facts as they are now, as a reply in German or English writes them
/// (segments are shared by many customers and do not count).
fn facts_of(
    profile: &CustomerProfile,
    newest: &HashMap<String, (Timestamp, i64)>,
    zone: &jiff::tz::TimeZone,
) -> Vec<String> {
    let mut facts: Vec<String> = profile
        .identifiers
        .iter()
        .filter(|i| i.kind == IdentifierKind::CustomerNumber)
        .map(|i| i.value.clone())
        .collect();
    let both = |write: &dyn Fn(bool) -> String| [write(false), write(true)];
    if profile.fields.lifetime_value_cents > 0 {
        facts.extend(both(&|en| {
            written::euros(profile.fields.lifetime_value_cents, en)
        }));
    }
    if let Some((day, cents)) = crate::templates::last_purchase(profile, newest, zone) {
        facts.extend(both(&|en| written::day(day, en)));
        facts.extend(both(&|en| written::euros(cents, en)));
    }
    facts
}
