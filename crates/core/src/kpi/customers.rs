//! The customer base from activity events: who joins and leaves it on which day, retention
//! and churn over a period, and revenue growth.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::period::local_day;

/// What a customer event says about the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CustomerEventKind {
    /// The customer used the service (a login, a visit, a contact).
    Activity,
    /// The customer bought something.
    Purchase,
    /// The customer ended the relationship (a cancelled contract, a closed account).
    Churn,
}

impl CustomerEventKind {
    /// Every kind, in the order interfaces list them.
    pub const ALL: [CustomerEventKind; 3] = [
        CustomerEventKind::Activity,
        CustomerEventKind::Purchase,
        CustomerEventKind::Churn,
    ];

    /// The stable name used in imports, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerEventKind::Activity => "activity",
            CustomerEventKind::Purchase => "purchase",
            CustomerEventKind::Churn => "churn",
        }
    }

    /// The kind named `name`, ignoring case and surrounding white space.
    pub fn parse(name: &str) -> Option<CustomerEventKind> {
        let name = name.trim();
        CustomerEventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(name))
    }

    /// Where the kind goes among events of the same instant: a purchase recorded together
    /// with a cancellation happened while the customer was still one.
    fn order_within_instant(self) -> u8 {
        match self {
            CustomerEventKind::Activity | CustomerEventKind::Purchase => 0,
            CustomerEventKind::Churn => 1,
        }
    }
}

impl fmt::Display for CustomerEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a customer's membership of the customer base changes on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    Gained,
    Lost,
}

/// From one customer's events (any order; ties on the same instant: Activity/Purchase before
/// Churn), the days on which they joined or left the customer base, in time order: the first
/// event makes them a customer (Gained), a Churn makes an active customer Lost, an Activity or
/// Purchase after a Churn wins them back (Gained again). A Churn of a non-customer changes
/// nothing.
///
/// Days are local to `time_zone`. A customer gained and lost on the same day shows both
/// changes, so each period's counts of gained and lost customers stay complete.
pub fn memberships(
    events: &[(Timestamp, CustomerEventKind)],
    time_zone: &TimeZone,
) -> Vec<(Date, Membership)> {
    let mut in_order = events.to_vec();
    in_order.sort_by_key(|&(at, kind)| time_order(at, kind));
    changes_from(false, &in_order, time_zone)
}

/// A customer's last event in time order (on the same instant a Churn comes last). It alone
/// decides whether they are a customer after their events: an Activity or Purchase leaves
/// them one, a Churn does not.
pub fn last_event(
    events: &[(Timestamp, CustomerEventKind)],
) -> Option<(Timestamp, CustomerEventKind)> {
    events
        .iter()
        .copied()
        .max_by_key(|&(at, kind)| time_order(at, kind))
}

/// The changes that `new` events add to [`memberships`] of a customer whose stored events
/// end with `last` (see [`last_event`]): `memberships(stored ++ new)` equals
/// `memberships(stored)` followed by these. `None` when a new event comes before `last` in
/// time order: then the earlier changes move, and the customer's whole history has to be
/// counted again.
///
/// This is what keeps a bulk load linear: a customer's next events need their last one, not
/// all of them.
pub fn memberships_after(
    last: Option<(Timestamp, CustomerEventKind)>,
    new: &[(Timestamp, CustomerEventKind)],
    time_zone: &TimeZone,
) -> Option<Vec<(Date, Membership)>> {
    let mut in_order = new.to_vec();
    in_order.sort_by_key(|&(at, kind)| time_order(at, kind));
    let is_customer = match last {
        None => false,
        Some((at, kind)) => {
            if in_order.first().is_some_and(|&(first, first_kind)| {
                time_order(first, first_kind) < time_order(at, kind)
            }) {
                return None;
            }
            kind != CustomerEventKind::Churn
        }
    };
    Some(changes_from(is_customer, &in_order, time_zone))
}

fn time_order(at: Timestamp, kind: CustomerEventKind) -> (Timestamp, u8) {
    (at, kind.order_within_instant())
}

/// The changes of events already in time order, for a customer who is one (or not) before
/// the first of them.
fn changes_from(
    mut is_customer: bool,
    in_order: &[(Timestamp, CustomerEventKind)],
    time_zone: &TimeZone,
) -> Vec<(Date, Membership)> {
    let mut changes = Vec::new();
    for &(at, kind) in in_order {
        let change = match kind {
            CustomerEventKind::Activity | CustomerEventKind::Purchase if !is_customer => {
                Membership::Gained
            }
            CustomerEventKind::Churn if is_customer => Membership::Lost,
            _ => continue,
        };
        is_customer = change == Membership::Gained;
        changes.push((local_day(at, time_zone), change));
    }
    changes
}

/// Retention over a period from customer counts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retention {
    /// Customers at the start of the period (S).
    pub start: u64,
    /// Customers at the end of the period (E).
    pub end: u64,
    /// Customers gained during the period, won-back ones included (N).
    pub gained: u64,
    /// Customers lost during the period, including some gained in it.
    pub lost: u64,
    /// Customer retention rate in percent, `(E − N) / S`; `None` without customers at the
    /// start.
    pub rate: Option<f64>,
    /// Churn rate in percent, `(S + N − E) / S`; `None` without customers at the start.
    pub churn: Option<f64>,
}

/// Retention for a period: `start` customers at its beginning, `gained` and `lost` during it.
///
/// The rate is the standard customer retention rate `(E − N) / S`, with `E = S + N − lost`;
/// churn is `(S + N − E) / S`, the customers lost (also those gained and lost within the
/// period) per customer at the start, so rate + churn = 100. When more customers are lost
/// than there were at the start, churn exceeds 100 and the rate falls below 0, as the
/// formula says; the counts show why. Lost counts larger than `start + gained` cannot
/// happen and leave `end` at 0.
pub fn retention(start: u64, gained: u64, lost: u64) -> Retention {
    let end = start.saturating_add(gained).saturating_sub(lost);
    let (rate, churn) = if start == 0 {
        (None, None)
    } else {
        // In i128 so that neither E − N below zero nor S + N near u64::MAX overflows.
        let (start_wide, end_wide, gained_wide) =
            (i128::from(start), i128::from(end), i128::from(gained));
        let rate = 100.0 * (end_wide - gained_wide) as f64 / start as f64;
        let churn = 100.0 * (start_wide + gained_wide - end_wide) as f64 / start as f64;
        (Some(rate), Some(churn))
    };
    Retention {
        start,
        end,
        gained,
        lost,
        rate,
        churn,
    }
}

/// Revenue growth period over period in percent: `100 · (current − previous) / |previous|`;
/// `None` when `previous` is 0.
///
/// Dividing by the magnitude keeps the sign meaningful when the previous period was negative
/// (refunds outweighing sales): going from −50 € to +50 € is growth, not decline.
pub fn revenue_growth(current_cents: i64, previous_cents: i64) -> Option<f64> {
    if previous_cents == 0 {
        return None;
    }
    // In i128 so that the difference of two extreme i64 values does not overflow.
    let difference = i128::from(current_cents) - i128::from(previous_cents);
    Some(100.0 * difference as f64 / i128::from(previous_cents).abs() as f64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;
    use CustomerEventKind::{Activity, Churn, Purchase};
    use Membership::{Gained, Lost};

    fn at(instant: &str) -> Timestamp {
        instant.parse().unwrap()
    }

    #[test]
    fn names_round_trip_and_ignore_case() {
        for kind in CustomerEventKind::ALL {
            assert_eq!(CustomerEventKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.to_string(), kind.as_str());
        }
        assert_eq!(CustomerEventKind::parse("PURCHASE"), Some(Purchase));
        assert_eq!(CustomerEventKind::parse("refund"), None);
    }

    #[test]
    fn the_first_event_makes_a_customer_and_later_activity_changes_nothing() {
        let events = [
            (at("2026-02-03T10:00:00Z"), Activity),
            (at("2026-01-05T09:00:00Z"), Purchase),
            (at("2026-03-01T12:00:00Z"), Purchase),
        ];
        assert_eq!(
            memberships(&events, &TimeZone::UTC),
            vec![(date(2026, 1, 5), Gained)]
        );
    }

    #[test]
    fn out_of_order_events_with_a_win_back() {
        // In time order: purchase 01-05 (gained), activity 01-20, churn 02-10 (lost),
        // churn 02-12 (already gone), activity 03-01 (won back).
        let events = [
            (at("2026-03-01T08:00:00Z"), Activity),
            (at("2026-02-10T08:00:00Z"), Churn),
            (at("2026-01-05T08:00:00Z"), Purchase),
            (at("2026-02-12T08:00:00Z"), Churn),
            (at("2026-01-20T08:00:00Z"), Activity),
        ];
        assert_eq!(
            memberships(&events, &TimeZone::UTC),
            vec![
                (date(2026, 1, 5), Gained),
                (date(2026, 2, 10), Lost),
                (date(2026, 3, 1), Gained),
            ]
        );
    }

    #[test]
    fn the_churn_of_a_non_customer_changes_nothing() {
        assert_eq!(
            memberships(&[(at("2026-01-05T08:00:00Z"), Churn)], &TimeZone::UTC),
            vec![]
        );
        let events = [
            (at("2026-01-05T08:00:00Z"), Churn),
            (at("2026-01-06T08:00:00Z"), Activity),
        ];
        assert_eq!(
            memberships(&events, &TimeZone::UTC),
            vec![(date(2026, 1, 6), Gained)]
        );
        assert_eq!(memberships(&[], &TimeZone::UTC), vec![]);
    }

    #[test]
    fn on_the_same_instant_the_purchase_comes_before_the_churn() {
        let instant = at("2026-01-05T08:00:00Z");
        let events = [(instant, Churn), (instant, Purchase)];
        assert_eq!(
            memberships(&events, &TimeZone::UTC),
            vec![(date(2026, 1, 5), Gained), (date(2026, 1, 5), Lost)]
        );
    }

    #[test]
    fn membership_days_are_local() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // 23:30 UTC in winter is 00:30 CET the next day.
        let events = [(at("2026-01-31T23:30:00Z"), Purchase)];
        assert_eq!(
            memberships(&events, &berlin),
            vec![(date(2026, 2, 1), Gained)]
        );
    }

    #[test]
    fn retention_by_hand() {
        // S = 200, N = 30, lost = 20: E = 200 + 30 − 20 = 210,
        // rate = 100 · (210 − 30) / 200 = 90, churn = 100 · (200 + 30 − 210) / 200 = 10.
        let kept = retention(200, 30, 20);
        assert_eq!(kept.end, 210);
        assert_eq!(kept.rate, Some(90.0));
        assert_eq!(kept.churn, Some(10.0));
        assert_eq!((kept.start, kept.gained, kept.lost), (200, 30, 20));
    }

    #[test]
    fn retention_counts_customers_gained_and_lost_within_the_period() {
        // S = 10, N = 10, lost = 15: E = 5, rate = 100 · (5 − 10) / 10 = −50,
        // churn = 100 · (10 + 10 − 5) / 10 = 150.
        let collapse = retention(10, 10, 15);
        assert_eq!(collapse.end, 5);
        assert_eq!(collapse.rate, Some(-50.0));
        assert_eq!(collapse.churn, Some(150.0));
    }

    #[test]
    fn retention_needs_customers_at_the_start() {
        let new_business = retention(0, 12, 2);
        assert_eq!(new_business.end, 10);
        assert_eq!(new_business.rate, None);
        assert_eq!(new_business.churn, None);
        // Impossible counts saturate instead of wrapping around.
        assert_eq!(retention(5, 0, 9).end, 0);
    }

    #[test]
    fn growth_by_hand() {
        // 100 · (1 200.00 € − 1 000.00 €) / 1 000.00 € = 20
        assert_eq!(revenue_growth(120_000, 100_000), Some(20.0));
        // 100 · (800 − 1 000) / 1 000 = −20
        assert_eq!(revenue_growth(80_000, 100_000), Some(-20.0));
        assert_eq!(revenue_growth(0, 100_000), Some(-100.0));
        assert_eq!(revenue_growth(100_000, 0), None);
        // From −50 € to +50 €: 100 · (5 000 + 5 000) / 5 000 = 200
        assert_eq!(revenue_growth(5_000, -5_000), Some(200.0));
        assert!(revenue_growth(i64::MAX, i64::MIN).is_some_and(f64::is_finite));
    }

    fn kind() -> impl Strategy<Value = CustomerEventKind> {
        proptest::sample::select(CustomerEventKind::ALL.to_vec())
    }

    fn events() -> impl Strategy<Value = Vec<(Timestamp, CustomerEventKind)>> {
        // Seconds within about three years, so several events often share a day or an instant.
        let instant = (1_767_225_600i64..1_767_225_600 + 100_000_000)
            .prop_map(|second| Timestamp::from_second(second).unwrap());
        proptest::collection::vec((instant, kind()), 0..40)
    }

    proptest! {
        #[test]
        fn memberships_alternate_starting_with_gained(events in events()) {
            let changes = memberships(&events, &TimeZone::UTC);
            for (position, (_, change)) in changes.iter().enumerate() {
                let expected = if position % 2 == 0 { Gained } else { Lost };
                prop_assert_eq!(*change, expected);
            }
            prop_assert!(changes.windows(2).all(|pair| pair[0].0 <= pair[1].0));
            let is_customer = events.iter().any(|(_, kind)| *kind != Churn);
            prop_assert_eq!(changes.is_empty(), !is_customer);
        }

        #[test]
        fn memberships_ignore_the_order_of_events(mut events in events()) {
            let forwards = memberships(&events, &TimeZone::UTC);
            events.reverse();
            prop_assert_eq!(memberships(&events, &TimeZone::UTC), forwards);
        }

        #[test]
        fn a_history_continues_from_its_last_event(
            stored in events(),
            new in events(),
        ) {
            let mut all = stored.clone();
            all.extend(&new);
            let whole = memberships(&all, &TimeZone::UTC);
            let last = last_event(&stored);
            match memberships_after(last, &new, &TimeZone::UTC) {
                Some(added) => {
                    let mut continued = memberships(&stored, &TimeZone::UTC);
                    continued.extend(added);
                    prop_assert_eq!(continued, whole);
                }
                // Only a new event before the last stored one sends the history back to
                // be counted whole.
                None => {
                    let (last_at, last_kind) = last.unwrap();
                    let earlier = |&(at, kind): &(Timestamp, CustomerEventKind)| {
                        time_order(at, kind) < time_order(last_at, last_kind)
                    };
                    prop_assert!(new.iter().any(earlier));
                }
            }
        }

        #[test]
        fn a_history_continued_in_time_order_is_never_sent_back(
            mut events in events(),
            split in 0usize..40,
        ) {
            events.sort_by_key(|&(at, kind)| time_order(at, kind));
            let (stored, new) = events.split_at(split.min(events.len()));
            prop_assert!(memberships_after(last_event(stored), new, &TimeZone::UTC).is_some());
        }

        #[test]
        fn rate_and_churn_add_up_to_100(start in 1u64..1_000_000, gained in 0u64..1_000_000, lost_share in 0.0f64..=1.0) {
            let lost = ((start + gained) as f64 * lost_share) as u64;
            let kept = retention(start, gained, lost);
            prop_assert_eq!(kept.end, start + gained - lost);
            let total = kept.rate.unwrap() + kept.churn.unwrap();
            prop_assert!((total - 100.0).abs() < 1e-9, "{kept:?}");
        }
    }
}
