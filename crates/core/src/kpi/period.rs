//! Calendar periods for roll-ups: which day an answer belongs to in the organisation's time
//! zone, which period holds a day, and how days are stored as numbers.

use std::fmt;

use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// The length of the periods a KPI is rolled up into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Granularity {
    Day,
    /// An ISO 8601 week, Monday to Sunday.
    Week,
    Month,
    /// January–March, April–June, July–September, October–December.
    Quarter,
    Year,
}

impl Granularity {
    /// Every granularity, from the shortest to the longest.
    pub const ALL: [Granularity; 5] = [
        Granularity::Day,
        Granularity::Week,
        Granularity::Month,
        Granularity::Quarter,
        Granularity::Year,
    ];

    /// The stable name used in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Year => "year",
        }
    }

    /// The granularity named `name`, ignoring case and surrounding white space.
    pub fn parse(name: &str) -> Option<Granularity> {
        let name = name.trim();
        Granularity::ALL
            .into_iter()
            .find(|granularity| granularity.as_str().eq_ignore_ascii_case(name))
    }

    /// One period's length, as calendar units so months and years keep their own lengths.
    fn length(self) -> jiff::Span {
        match self {
            Granularity::Day => 1.day(),
            Granularity::Week => 1.week(),
            Granularity::Month => 1.month(),
            Granularity::Quarter => 3.months(),
            Granularity::Year => 1.year(),
        }
    }
}

impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// First day of the period that holds `day` (weeks are ISO weeks starting Monday).
pub fn period_start(day: Date, granularity: Granularity) -> Date {
    match granularity {
        Granularity::Day => day,
        Granularity::Week => {
            let days_since_monday = day.weekday().to_monday_zero_offset();
            day.saturating_sub(days_since_monday.days())
        }
        Granularity::Month => day.first_of_month(),
        Granularity::Quarter => {
            let first_month_of_quarter = (day.month() - 1) / 3 * 3 + 1;
            Date::new(day.year(), first_month_of_quarter, 1).unwrap_or(day.first_of_month())
        }
        Granularity::Year => day.first_of_year(),
    }
}

/// First day of the next period after the one starting at `start`.
///
/// `start` need not be a period's first day: the period holding it counts. Saturates at the
/// last day of the calendar (9999-12-31).
pub fn next_period(start: Date, granularity: Granularity) -> Date {
    period_start(start, granularity).saturating_add(granularity.length())
}

/// First day of the period before the one starting at `start`.
///
/// `start` need not be a period's first day: the period holding it counts. Saturates at the
/// first day of the calendar.
pub fn previous_period(start: Date, granularity: Granularity) -> Date {
    period_start(start, granularity).saturating_sub(granularity.length())
}

/// The period's name as people and charts show it: "2026-11-23", "2026-W48", "2026-11",
/// "2026-Q4", "2026". `start` may be any day of the period.
///
/// A week is named for its ISO week-year, which differs from the calendar year around New
/// Year: 2021-01-03 is a Sunday in 2020-W53.
pub fn period_label(start: Date, granularity: Granularity) -> String {
    let start = period_start(start, granularity);
    match granularity {
        Granularity::Day => format!(
            "{:04}-{:02}-{:02}",
            start.year(),
            start.month(),
            start.day()
        ),
        Granularity::Week => {
            let week = start.iso_week_date();
            format!("{:04}-W{:02}", week.year(), week.week())
        }
        Granularity::Month => format!("{:04}-{:02}", start.year(), start.month()),
        Granularity::Quarter => format!("{:04}-Q{}", start.year(), (start.month() - 1) / 3 + 1),
        Granularity::Year => format!("{:04}", start.year()),
    }
}

/// The calendar day of an instant in the organisation's time zone.
///
/// An answer given at 23:30 UTC on a summer evening belongs to the next day in Berlin; the
/// time zone's rules, not a fixed offset, decide, so days stay right across DST changes.
pub fn local_day(at: jiff::Timestamp, time_zone: &TimeZone) -> Date {
    time_zone.to_datetime(at).date()
}

/// The day as the integer yyyymmdd (2026-11-23 is 20261123), as days are stored; a month's
/// roll-up is stored under its first day (yyyymm01).
///
/// Numbers sort like the days for the years 0 to 9999.
pub fn day_number(day: Date) -> i32 {
    i32::from(day.year()) * 10_000 + i32::from(day.month()) * 100 + i32::from(day.day())
}

/// The day stored as `number` (yyyymmdd), or `None` if it names no day of the years 0 to
/// 9999 (20260230, 20261300, negative numbers).
pub fn day_from_number(number: i32) -> Option<Date> {
    if number < 0 {
        return None;
    }
    let year = i16::try_from(number / 10_000).ok()?;
    let month = i8::try_from(number / 100 % 100).ok()?;
    let day = i8::try_from(number % 100).ok()?;
    Date::new(year, month, day).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;
    use jiff::{Timestamp, ToSpan};
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn names_round_trip_and_ignore_case() {
        for granularity in Granularity::ALL {
            assert_eq!(Granularity::parse(granularity.as_str()), Some(granularity));
            assert_eq!(granularity.to_string(), granularity.as_str());
        }
        assert_eq!(Granularity::parse("Quarter"), Some(Granularity::Quarter));
        assert_eq!(Granularity::parse("fortnight"), None);
    }

    #[test]
    fn a_day_is_its_own_period() {
        let day = date(2026, 11, 25);
        assert_eq!(period_start(day, Granularity::Day), day);
        assert_eq!(period_label(day, Granularity::Day), "2026-11-25");
        assert_eq!(
            next_period(date(2026, 12, 31), Granularity::Day),
            date(2027, 1, 1)
        );
        assert_eq!(
            previous_period(date(2024, 3, 1), Granularity::Day),
            date(2024, 2, 29)
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-11-25 is a Wednesday; its Monday is the 23rd, in ISO week 48.
        let start = period_start(date(2026, 11, 25), Granularity::Week);
        assert_eq!(start, date(2026, 11, 23));
        assert_eq!(period_label(start, Granularity::Week), "2026-W48");
        assert_eq!(period_start(date(2026, 11, 23), Granularity::Week), start);
        assert_eq!(period_start(date(2026, 11, 29), Granularity::Week), start);
        assert_eq!(next_period(start, Granularity::Week), date(2026, 11, 30));
        assert_eq!(
            previous_period(start, Granularity::Week),
            date(2026, 11, 16)
        );
    }

    #[test]
    fn week_53_and_the_iso_week_year() {
        // 2020 began on a Wednesday, so it has 53 ISO weeks; the 53rd runs from Monday
        // 2020-12-28 to Sunday 2021-01-03.
        for day in [date(2020, 12, 31), date(2021, 1, 3)] {
            let start = period_start(day, Granularity::Week);
            assert_eq!(start, date(2020, 12, 28));
            assert_eq!(period_label(start, Granularity::Week), "2020-W53");
            assert_eq!(period_label(day, Granularity::Week), "2020-W53");
        }
        assert_eq!(
            next_period(date(2020, 12, 28), Granularity::Week),
            date(2021, 1, 4)
        );
        assert_eq!(
            period_label(date(2021, 1, 4), Granularity::Week),
            "2021-W01"
        );
        // And the other way round: Monday 2019-12-30 already belongs to 2020-W01.
        assert_eq!(
            period_label(date(2019, 12, 31), Granularity::Week),
            "2020-W01"
        );
    }

    #[test]
    fn months() {
        let start = period_start(date(2026, 1, 31), Granularity::Month);
        assert_eq!(start, date(2026, 1, 1));
        assert_eq!(period_label(start, Granularity::Month), "2026-01");
        assert_eq!(next_period(start, Granularity::Month), date(2026, 2, 1));
        assert_eq!(
            previous_period(start, Granularity::Month),
            date(2025, 12, 1)
        );
    }

    #[test]
    fn quarters() {
        let cases = [
            (date(2026, 1, 1), date(2026, 1, 1), "2026-Q1"),
            (date(2026, 3, 31), date(2026, 1, 1), "2026-Q1"),
            (date(2026, 4, 1), date(2026, 4, 1), "2026-Q2"),
            (date(2026, 8, 15), date(2026, 7, 1), "2026-Q3"),
            (date(2026, 11, 23), date(2026, 10, 1), "2026-Q4"),
            (date(2026, 12, 31), date(2026, 10, 1), "2026-Q4"),
        ];
        for (day, start, label) in cases {
            assert_eq!(period_start(day, Granularity::Quarter), start, "{day}");
            assert_eq!(period_label(day, Granularity::Quarter), label, "{day}");
        }
        assert_eq!(
            next_period(date(2026, 10, 1), Granularity::Quarter),
            date(2027, 1, 1)
        );
        assert_eq!(
            previous_period(date(2026, 1, 1), Granularity::Quarter),
            date(2025, 10, 1)
        );
    }

    #[test]
    fn years() {
        let start = period_start(date(2026, 11, 23), Granularity::Year);
        assert_eq!(start, date(2026, 1, 1));
        assert_eq!(period_label(start, Granularity::Year), "2026");
        assert_eq!(next_period(start, Granularity::Year), date(2027, 1, 1));
        assert_eq!(previous_period(start, Granularity::Year), date(2025, 1, 1));
    }

    #[test]
    fn the_ends_of_the_calendar_saturate() {
        assert_eq!(next_period(Date::MAX, Granularity::Year), Date::MAX);
        assert_eq!(previous_period(Date::MIN, Granularity::Day), Date::MIN);
        // The calendar's first day, -9999-01-01, is a Monday; its last, 9999-12-31, a Friday.
        assert_eq!(
            period_start(date(-9999, 1, 3), Granularity::Week),
            Date::MIN
        );
        assert_eq!(next_period(Date::MAX, Granularity::Week), Date::MAX);
    }

    #[test]
    fn local_days_follow_berlin_across_dst() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let day = |instant: &str| local_day(instant.parse::<Timestamp>().unwrap(), &berlin);
        // Spring forward at 01:00 UTC on 2026-03-29: 00:30 UTC is 01:30 CET (UTC+1).
        assert_eq!(day("2026-03-29T00:30:00Z"), date(2026, 3, 29));
        // 23:30 UTC the evening before is already 00:30 CET on the 29th.
        assert_eq!(day("2026-03-28T23:30:00Z"), date(2026, 3, 29));
        // Still summer time on the evening of 2026-10-24: 22:30 UTC is 00:30 CEST (UTC+2).
        assert_eq!(day("2026-10-24T22:30:00Z"), date(2026, 10, 25));
        // Back to CET at 01:00 UTC on the 25th: 22:30 UTC that evening is 23:30 the same day.
        assert_eq!(day("2026-10-25T22:30:00Z"), date(2026, 10, 25));
        assert_eq!(
            local_day("2026-10-25T22:30:00Z".parse().unwrap(), &TimeZone::UTC),
            date(2026, 10, 25)
        );
    }

    #[test]
    fn days_as_numbers() {
        assert_eq!(day_number(date(2026, 11, 23)), 20_261_123);
        assert_eq!(day_number(date(2026, 11, 1)), 20_261_101);
        assert_eq!(day_from_number(20_261_123), Some(date(2026, 11, 23)));
        assert_eq!(day_from_number(20_240_229), Some(date(2024, 2, 29)));
        assert_eq!(day_from_number(20_260_229), None);
        assert_eq!(day_from_number(20_261_301), None);
        assert_eq!(day_from_number(20_261_100), None);
        assert_eq!(day_from_number(-20_261_123), None);
        assert_eq!(day_from_number(i32::MAX), None);
    }

    /// Any day from year 1 to 9998, so every period and its neighbours are in range.
    fn day() -> impl Strategy<Value = Date> {
        (0i64..3_651_000).prop_map(|offset| date(1, 1, 1).checked_add(offset.days()).unwrap())
    }

    fn granularity() -> impl Strategy<Value = Granularity> {
        proptest::sample::select(Granularity::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn period_start_is_idempotent(day in day(), granularity in granularity()) {
            let start = period_start(day, granularity);
            prop_assert_eq!(period_start(start, granularity), start);
        }

        #[test]
        fn the_period_holds_its_day(day in day(), granularity in granularity()) {
            let start = period_start(day, granularity);
            let next = next_period(start, granularity);
            prop_assert!(start <= day && day < next, "{start} <= {day} < {next}");
            prop_assert_eq!(period_start(next, granularity), next);
            prop_assert_eq!(previous_period(next, granularity), start);
            prop_assert_eq!(period_label(day, granularity), period_label(start, granularity));
            prop_assert_ne!(period_label(next, granularity), period_label(start, granularity));
        }

        #[test]
        fn labels_sort_like_their_periods(day in day(), granularity in granularity()) {
            let start = period_start(day, granularity);
            let next = next_period(start, granularity);
            prop_assert!(period_label(start, granularity) < period_label(next, granularity));
        }

        #[test]
        fn day_numbers_round_trip_and_sort(a in day(), b in day()) {
            prop_assert_eq!(day_from_number(day_number(a)), Some(a));
            prop_assert_eq!(a.cmp(&b), day_number(a).cmp(&day_number(b)));
        }
    }
}
