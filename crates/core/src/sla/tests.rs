//! The clock on worked examples, each computed by hand in its comments, and its laws as
//! properties.

#![allow(clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::*;

/// An instant written with its offset, so each expectation shows which side of a clock
/// change it is on: `+01:00` is CET, `+02:00` CEST in Berlin.
fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn hours(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

fn calendar(week: WeekHoursInput, public_holidays: Option<&str>, custom: &[&str]) -> Hours {
    let input = CalendarInput {
        time_zone: "Europe/Berlin".into(),
        hours: week,
        public_holidays: public_holidays.map(str::to_owned),
        custom_holidays: custom.iter().map(|d| (*d).to_owned()).collect(),
    };
    Hours::Business(input.validate().unwrap())
}

fn weekdays(intervals: &str) -> WeekHoursInput {
    WeekHoursInput {
        monday: intervals.into(),
        tuesday: intervals.into(),
        wednesday: intervals.into(),
        thursday: intervals.into(),
        friday: intervals.into(),
        ..WeekHoursInput::default()
    }
}

fn every_day(intervals: &str) -> WeekHoursInput {
    WeekHoursInput {
        saturday: intervals.into(),
        sunday: intervals.into(),
        ..weekdays(intervals)
    }
}

/// Monday to Friday 08:00-17:00 in Berlin, without holidays.
fn office() -> Hours {
    calendar(weekdays("08:00-17:00"), None, &[])
}

fn due(opening: &Hours, start: &str, target: SignedDuration) -> Option<Timestamp> {
    due_at(opening, at(start), target, &[])
}

fn paused(from: &str, until: Option<&str>) -> Pause {
    Pause {
        from: at(from),
        until: until.map(at),
    }
}

// --- Opening hours and holidays -------------------------------------------------------

#[test]
fn friday_afternoon_request_is_due_monday_morning() {
    // Friday 16:00-17:00 is 1 hour; the other 3 run Monday from 08:00.
    assert_eq!(
        due(&office(), "2026-03-06T16:00+01:00", hours(4)),
        Some(at("2026-03-09T11:00+01:00"))
    );
}

#[test]
fn request_on_saturday_starts_counting_at_monday_opening() {
    let start = at("2026-03-07T10:00+01:00");
    assert_eq!(
        due_at(&office(), start, hours(1), &[]),
        Some(at("2026-03-09T09:00+01:00"))
    );
    assert_eq!(
        business_time(&office(), start, at("2026-03-09T08:00+01:00"), &[]),
        SignedDuration::ZERO
    );
    assert_eq!(
        business_time(&office(), start, at("2026-03-09T08:30+01:00"), &[]),
        minutes(30)
    );
}

#[test]
fn request_before_opening_starts_at_opening() {
    assert_eq!(
        due(&office(), "2026-03-09T06:15+01:00", hours(2)),
        Some(at("2026-03-09T10:00+01:00"))
    );
}

#[test]
fn target_used_up_at_closing_time_is_due_at_closing_time() {
    // The earliest instant with 1 hour counted is 17:00 on Friday, not 08:00 on Monday.
    assert_eq!(
        due(&office(), "2026-03-06T16:00+01:00", hours(1)),
        Some(at("2026-03-06T17:00+01:00"))
    );
}

#[test]
fn a_target_of_nothing_is_due_at_once() {
    let saturday = "2026-03-07T10:00+01:00";
    assert_eq!(
        due(&office(), saturday, SignedDuration::ZERO),
        Some(at(saturday))
    );
    assert_eq!(due(&office(), saturday, hours(-3)), Some(at(saturday)));
}

#[test]
fn lunch_breaks_do_not_count() {
    let hours_with_lunch = calendar(weekdays("08:00-12:00, 13:00-17:00"), None, &[]);
    // Monday 10:00-12:00 is 2 hours, the third runs 13:00-14:00.
    assert_eq!(
        due(&hours_with_lunch, "2026-03-09T10:00+01:00", hours(3)),
        Some(at("2026-03-09T14:00+01:00"))
    );
    // A request during lunch starts at 13:00.
    assert_eq!(
        due(&hours_with_lunch, "2026-03-09T12:20+01:00", minutes(90)),
        Some(at("2026-03-09T14:30+01:00"))
    );
}

#[test]
fn custom_and_nationwide_holidays_are_closed() {
    let opening = calendar(weekdays("08:00-17:00"), Some("DE"), &["2026-12-24"]);
    // Wednesday 23 December 15:00-17:00 is 2 hours; Thursday 24th is the company's own
    // holiday, Friday 25th a public one, then the weekend; 7 hours on Monday 28th from 08:00.
    assert_eq!(
        due(&opening, "2026-12-23T15:00+01:00", hours(9)),
        Some(at("2026-12-28T15:00+01:00"))
    );
    // Without the holidays: Thursday 24th 08:00 + 7 hours.
    assert_eq!(
        due(&office(), "2026-12-23T15:00+01:00", hours(9)),
        Some(at("2026-12-24T15:00+01:00"))
    );
}

#[test]
fn a_state_holiday_closes_only_that_state() {
    // Fronleichnam, Thursday 4 June 2026, is a holiday in North Rhine-Westphalia, not in
    // Berlin. Wednesday 16:00-17:00 is 1 hour; the second runs on the next working day.
    let start = "2026-06-03T16:00+02:00";
    let north_rhine_westphalia = calendar(weekdays("08:00-17:00"), Some("DE-NW"), &[]);
    let berlin = calendar(weekdays("08:00-17:00"), Some("DE-BE"), &[]);
    assert_eq!(
        due(&north_rhine_westphalia, start, hours(2)),
        Some(at("2026-06-05T09:00+02:00"))
    );
    assert_eq!(
        due(&berlin, start, hours(2)),
        Some(at("2026-06-04T09:00+02:00"))
    );
}

#[test]
fn easter_closes_good_friday_and_easter_monday() {
    let opening = calendar(weekdays("08:00-17:00"), Some("DE"), &[]);
    // Easter 2026 is 5 April: Thursday 2 April 16:00-17:00, then Tuesday 7 April.
    assert_eq!(
        due(&opening, "2026-04-02T16:00+02:00", hours(2)),
        Some(at("2026-04-07T09:00+02:00"))
    );
}

#[test]
fn a_thousand_business_hours_are_walked_by_the_day() {
    let opening = calendar(weekdays("08:00-17:00"), Some("NW"), &[]);
    // 1000 hours at 9 a day are 111 full days and 1 hour. From Monday 5 January 2026, 111
    // working days without holidays end on Monday 8 June, so the 112th is Tuesday 9 June.
    // Six holidays fall on weekdays before it (3 and 6 April, 1 and 14 May, 25 May, 4 June),
    // which moves it six working days on: Wednesday 17 June, due at 09:00.
    let start = at("2026-01-05T08:00+01:00");
    let due_time = due_at(&opening, start, hours(1000), &[]);
    assert_eq!(due_time, Some(at("2026-06-17T09:00+02:00")));
    assert_eq!(
        business_time(&opening, start, due_time.unwrap(), &[]),
        hours(1000)
    );
}

#[test]
fn a_target_of_centuries_ends_without_walking_minutes() {
    let opening = calendar(weekdays("08:00-17:00"), Some("BY"), &["2026-12-24"]);
    let start = at("2026-01-05T08:00+01:00");
    // About 100 years of working days: still a walk of some 36,500 days.
    let target = hours(9 * 250 * 100);
    let due_time = due_at(&opening, start, target, &[]).unwrap();
    assert!(due_time > at("2120-01-01T00:00Z") && due_time < at("2135-01-01T00:00Z"));
    // Beyond the last date jiff represents there is no due time.
    let near_the_end = at("9990-01-01T08:00+01:00");
    assert_eq!(
        due_at(&opening, near_the_end, hours(9 * 250 * 20), &[]),
        None
    );
    assert_eq!(
        due_at(&Hours::AlwaysOpen, start, SignedDuration::MAX, &[]),
        None
    );
}

// --- Clock changes ------------------------------------------------------------------------

#[test]
fn opening_hours_on_the_spring_forward_day_count_nine_real_hours() {
    // 29 March 2026: Berlin's clocks jump from 02:00 to 03:00.
    let opening = calendar(every_day("08:00-17:00"), None, &[]);
    assert_eq!(
        business_time(
            &opening,
            at("2026-03-29T00:00+01:00"),
            at("2026-03-30T00:00+02:00"),
            &[]
        ),
        hours(9)
    );
    // Saturday 16:00-17:00 CET is 1 hour, Sunday from 08:00 CEST the second.
    assert_eq!(
        due(&opening, "2026-03-28T16:00+01:00", hours(2)),
        Some(at("2026-03-29T09:00+02:00"))
    );
}

#[test]
fn opening_hours_on_the_fall_back_day_count_nine_real_hours() {
    // 25 October 2026: Berlin's clocks go back from 03:00 to 02:00.
    let opening = calendar(every_day("08:00-17:00"), None, &[]);
    assert_eq!(
        business_time(
            &opening,
            at("2026-10-25T00:00+02:00"),
            at("2026-10-26T00:00+01:00"),
            &[]
        ),
        hours(9)
    );
    assert_eq!(
        due(&opening, "2026-10-24T16:00+02:00", hours(2)),
        Some(at("2026-10-25T09:00+01:00"))
    );
}

#[test]
fn a_whole_day_open_counts_the_real_length_of_the_day() {
    let opening = calendar(every_day("00:00-24:00"), None, &[]);
    assert_eq!(
        business_time(
            &opening,
            at("2026-03-29T00:00+01:00"),
            at("2026-03-30T00:00+02:00"),
            &[]
        ),
        hours(23)
    );
    assert_eq!(
        business_time(
            &opening,
            at("2026-10-25T00:00+02:00"),
            at("2026-10-26T00:00+01:00"),
            &[]
        ),
        hours(25)
    );
    // 24 real hours from midnight run to 01:00 the next day in spring, to 23:00 the same
    // day in autumn.
    assert_eq!(
        due(&opening, "2026-03-29T00:00+01:00", hours(24)),
        Some(at("2026-03-30T01:00+02:00"))
    );
    assert_eq!(
        due(&opening, "2026-10-25T00:00+02:00", hours(24)),
        Some(at("2026-10-25T23:00+01:00"))
    );
    // Through the switch itself: from 01:30 CET, one hour later it is 03:30 CEST.
    assert_eq!(
        due(&opening, "2026-03-29T01:30+01:00", hours(1)),
        Some(at("2026-03-29T03:30+02:00"))
    );
}

#[test]
fn hours_inside_the_changing_hour_follow_the_real_clock() {
    let sunday_only = |interval: &str| {
        calendar(
            WeekHoursInput {
                sunday: interval.into(),
                ..WeekHoursInput::default()
            },
            None,
            &[],
        )
    };
    let sunday = |opening: &Hours, day: &str, next_day: &str| {
        business_time(opening, at(day), at(next_day), &[])
    };
    let spring = ("2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00");
    let autumn = ("2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00");
    let ordinary = ("2026-03-22T00:00+01:00", "2026-03-23T00:00+01:00");

    // 02:00-03:00 does not exist in spring and happens twice in autumn.
    let skipped = sunday_only("02:00-03:00");
    assert_eq!(sunday(&skipped, spring.0, spring.1), SignedDuration::ZERO);
    assert_eq!(sunday(&skipped, autumn.0, autumn.1), hours(2));
    assert_eq!(sunday(&skipped, ordinary.0, ordinary.1), hours(1));

    // 02:30-04:00: in spring from the switch (03:00 CEST) to 04:00 CEST; in autumn from the
    // first 02:30 (CEST) to 04:00 CET.
    let across = sunday_only("02:30-04:00");
    assert_eq!(sunday(&across, spring.0, spring.1), hours(1));
    assert_eq!(sunday(&across, autumn.0, autumn.1), minutes(150));
    assert_eq!(sunday(&across, ordinary.0, ordinary.1), minutes(90));
}

#[test]
fn always_open_is_plain_addition() {
    // Real time, so 24 hours from midnight before the spring switch end at 01:00 CEST.
    let start = at("2026-03-29T00:00+01:00");
    assert_eq!(
        due_at(&Hours::AlwaysOpen, start, hours(24), &[]),
        Some(at("2026-03-30T01:00+02:00"))
    );
    assert_eq!(
        business_time(&Hours::AlwaysOpen, start, at("2026-04-01T12:34+02:00"), &[]),
        at("2026-04-01T12:34+02:00").duration_since(start)
    );
}

#[test]
fn business_time_is_zero_unless_the_end_is_later() {
    let start = at("2026-03-09T10:00+01:00");
    assert_eq!(
        business_time(&office(), start, start, &[]),
        SignedDuration::ZERO
    );
    assert_eq!(
        business_time(&office(), start, at("2026-03-09T09:00+01:00"), &[]),
        SignedDuration::ZERO
    );
}

// --- Pauses -------------------------------------------------------------------------------

#[test]
fn a_pause_inside_hours_adds_its_length() {
    // Monday 09:00 + 4 hours is 13:00; an hour's pause moves it to 14:00.
    let pauses = [paused(
        "2026-03-09T10:00+01:00",
        Some("2026-03-09T11:00+01:00"),
    )];
    let start = at("2026-03-09T09:00+01:00");
    assert_eq!(
        due_at(&office(), start, hours(4), &pauses),
        Some(at("2026-03-09T14:00+01:00"))
    );
    assert_eq!(
        business_time(&office(), start, at("2026-03-09T17:00+01:00"), &pauses),
        hours(7)
    );
}

#[test]
fn a_pause_over_closed_time_only_takes_its_open_part() {
    // Paused from Monday 16:00 to Tuesday 10:00: of it only 16:00-17:00 and 08:00-10:00 were
    // open. Monday 09:00-16:00 counts 7 hours, the eighth runs Tuesday 10:00-11:00.
    let pauses = [paused(
        "2026-03-09T16:00+01:00",
        Some("2026-03-10T10:00+01:00"),
    )];
    assert_eq!(
        due_at(&office(), at("2026-03-09T09:00+01:00"), hours(8), &pauses),
        Some(at("2026-03-10T11:00+01:00"))
    );
    // A pause wholly on the weekend changes nothing.
    let weekend = [paused(
        "2026-03-07T09:00+01:00",
        Some("2026-03-08T18:00+01:00"),
    )];
    assert_eq!(
        due_at(&office(), at("2026-03-06T16:00+01:00"), hours(4), &weekend),
        Some(at("2026-03-09T11:00+01:00"))
    );
}

#[test]
fn overlapping_pauses_count_once() {
    // Together they pause 10:00-12:00: 09:00-10:00 counts 1 hour, 12:00-15:00 the rest.
    let pauses = [
        paused("2026-03-09T10:30+01:00", Some("2026-03-09T12:00+01:00")),
        paused("2026-03-09T10:00+01:00", Some("2026-03-09T11:00+01:00")),
        paused("2026-03-09T11:30+01:00", Some("2026-03-09T11:45+01:00")),
    ];
    assert_eq!(
        due_at(&office(), at("2026-03-09T09:00+01:00"), hours(4), &pauses),
        Some(at("2026-03-09T15:00+01:00"))
    );
}

#[test]
fn a_pause_begun_before_the_start_holds_the_start() {
    let pauses = [paused(
        "2026-03-09T08:00+01:00",
        Some("2026-03-09T10:00+01:00"),
    )];
    assert_eq!(
        due_at(&office(), at("2026-03-09T09:00+01:00"), hours(4), &pauses),
        Some(at("2026-03-09T14:00+01:00"))
    );
}

#[test]
fn a_pause_that_ends_before_it_begins_pauses_nothing() {
    let pauses = [paused(
        "2026-03-09T11:00+01:00",
        Some("2026-03-09T10:00+01:00"),
    )];
    assert_eq!(
        due_at(&office(), at("2026-03-09T09:00+01:00"), hours(4), &pauses),
        Some(at("2026-03-09T13:00+01:00"))
    );
}

#[test]
fn an_open_ended_pause_leaves_the_due_time_unknown() {
    let start = at("2026-03-09T09:00+01:00");
    let open_ended = [paused("2026-03-09T10:00+01:00", None)];
    assert_eq!(due_at(&office(), start, hours(4), &open_ended), None);
    assert_eq!(
        due_at(&Hours::AlwaysOpen, start, hours(4), &open_ended),
        None
    );
    // Counted so far: 09:00-10:00.
    assert_eq!(
        business_time(&office(), start, at("2026-03-12T12:00+01:00"), &open_ended),
        hours(1)
    );
    // Paused since before the start: nothing counts.
    let since_before = [paused("2026-03-06T12:00+01:00", None)];
    assert_eq!(due_at(&office(), start, hours(4), &since_before), None);
    // A pause begun after the target was reached does not change it.
    let later = [paused("2026-03-09T14:00+01:00", None)];
    assert_eq!(
        due_at(&office(), start, hours(4), &later),
        Some(at("2026-03-09T13:00+01:00"))
    );
}

#[test]
fn a_long_pause_is_skipped_not_walked() {
    // Paused for 5000 years, then 1 hour on the next working day.
    let pauses = [paused("2026-03-09T10:00+01:00", Some("7026-03-09T10:00Z"))];
    let due_time = due_at(&office(), at("2026-03-09T09:00+01:00"), hours(2), &pauses);
    assert!(due_time.is_some_and(|t| t > at("7026-03-09T10:00Z")));
}

#[test]
fn hours_are_stored_with_a_kind() {
    let stored = serde_json::to_value(office()).unwrap();
    assert_eq!(stored["kind"], "business");
    assert_eq!(stored["time_zone"], "Europe/Berlin");
    assert_eq!(serde_json::from_value::<Hours>(stored).unwrap(), office());
    let always = serde_json::to_value(&Hours::AlwaysOpen).unwrap();
    assert_eq!(always, serde_json::json!({ "kind": "always_open" }));
    assert_eq!(
        serde_json::from_value::<Hours>(always).unwrap(),
        Hours::AlwaysOpen
    );
}

// --- Laws ---------------------------------------------------------------------------------

/// A calendar with what makes the clock hard: a lunch break, a short Friday, a Saturday,
/// state and custom holidays, both clock changes of a year.
fn varied() -> Hours {
    calendar(
        WeekHoursInput {
            monday: "08:00-12:00, 13:00-17:00".into(),
            tuesday: "08:00-12:00, 13:00-17:00".into(),
            wednesday: "08:00-12:00, 13:00-17:00".into(),
            thursday: "08:00-12:00, 13:00-17:00".into(),
            friday: "08:00-14:00".into(),
            saturday: "10:00-13:00".into(),
            sunday: String::new(),
        },
        Some("DE-NW"),
        &["2026-12-24", "2026-12-31", "2027-05-07"],
    )
}

fn around_the_clock() -> Hours {
    calendar(every_day("00:00-24:00"), None, &[])
}

/// Instants in 2026 and 2027, to the second.
fn instant() -> impl Strategy<Value = Timestamp> {
    let first = at("2026-01-01T00:00Z").as_second();
    let last = at("2027-12-31T00:00Z").as_second();
    (first..last).prop_map(|second| Timestamp::from_second(second).unwrap())
}

/// Targets up to 300 hours, to the second.
fn target() -> impl Strategy<Value = SignedDuration> {
    (0i64..300 * 3600).prop_map(SignedDuration::from_secs)
}

/// Finite pauses within a few weeks of `start`.
fn pauses_after(start: Timestamp) -> impl Strategy<Value = Vec<Pause>> {
    prop::collection::vec((-86_400i64..40 * 86_400, 0i64..5 * 86_400), 0..5).prop_map(
        move |spans| {
            spans
                .into_iter()
                .map(|(offset, length)| {
                    let from = start + SignedDuration::from_secs(offset);
                    Pause {
                        from,
                        until: Some(from + SignedDuration::from_secs(length)),
                    }
                })
                .collect()
        },
    )
}

fn start_and_pauses() -> impl Strategy<Value = (Timestamp, Vec<Pause>)> {
    instant().prop_flat_map(|start| (Just(start), pauses_after(start)))
}

proptest! {
    #[test]
    fn business_time_undoes_due_at(start in instant(), target in target()) {
        for opening in [varied(), around_the_clock(), Hours::AlwaysOpen] {
            let due_time = due_at(&opening, start, target, &[]).unwrap();
            prop_assert!(due_time >= start);
            prop_assert_eq!(business_time(&opening, start, due_time, &[]), target);
        }
    }

    #[test]
    fn business_time_undoes_due_at_with_pauses(
        (start, pauses) in start_and_pauses(),
        target in target(),
    ) {
        let opening = varied();
        let due_time = due_at(&opening, start, target, &pauses).unwrap();
        prop_assert_eq!(business_time(&opening, start, due_time, &pauses), target);
        // And it is the earliest such instant: a second before, less has been counted.
        if target > SignedDuration::ZERO {
            let just_before = due_time - SignedDuration::from_secs(1);
            prop_assert!(business_time(&opening, start, just_before, &pauses) < target);
        }
    }

    #[test]
    fn a_longer_target_is_never_due_earlier(
        (start, pauses) in start_and_pauses(),
        shorter in target(),
        extra in target(),
    ) {
        let opening = varied();
        let longer = shorter + extra;
        let first = due_at(&opening, start, shorter, &pauses).unwrap();
        let second = due_at(&opening, start, longer, &pauses).unwrap();
        prop_assert!(first <= second);
    }

    #[test]
    fn business_time_adds_up_over_consecutive_spans(
        (start, pauses) in start_and_pauses(),
        first in 0i64..30 * 86_400,
        second in 0i64..30 * 86_400,
    ) {
        let opening = varied();
        let middle = start + SignedDuration::from_secs(first);
        let end = middle + SignedDuration::from_secs(second);
        prop_assert_eq!(
            business_time(&opening, start, end, &pauses),
            business_time(&opening, start, middle, &pauses)
                + business_time(&opening, middle, end, &pauses)
        );
        prop_assert!(business_time(&opening, start, end, &pauses) <= end.duration_since(start));
    }

    #[test]
    fn open_around_the_clock_equals_always_open(
        (start, pauses) in start_and_pauses(),
        target in target(),
    ) {
        prop_assert_eq!(
            due_at(&around_the_clock(), start, target, &pauses),
            due_at(&Hours::AlwaysOpen, start, target, &pauses)
        );
        prop_assert_eq!(
            due_at(&Hours::AlwaysOpen, start, target, &[]),
            Some(start + target)
        );
    }
}

#[test]
fn next_open_is_now_while_open_and_the_next_opening_while_closed() {
    let office = calendar(weekdays("08:00-18:00"), None, &[]);
    // Friday 2026-12-04, 10:00 in Berlin: open.
    let open = at("2026-12-04T10:00:00+01:00");
    assert_eq!(next_open(&office, open), Some(open));
    // Friday 19:00: closed until Monday 08:00.
    assert_eq!(
        next_open(&office, at("2026-12-04T19:00:00+01:00")),
        Some(at("2026-12-07T08:00:00+01:00"))
    );
    // Closing time itself is closed.
    assert_eq!(
        next_open(&office, at("2026-12-04T18:00:00+01:00")),
        Some(at("2026-12-07T08:00:00+01:00"))
    );
    assert_eq!(next_open(&Hours::AlwaysOpen, open), Some(open));
}
