//! The business calendar of an organisation: its time zone, weekly opening hours and the days
//! it is closed. Built from a [`CalendarInput`] and stored as one, so a stored calendar is
//! checked again when it is read.

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::holidays::{GermanState, german_holidays};
use crate::problem::{Problem, Problems};

/// Minutes in a civil day; as an interval end it means midnight at the end of the day.
pub(super) const MINUTES_PER_DAY: u16 = 24 * 60;

/// More custom closing days than this is not a calendar but a mistake.
pub const CUSTOM_HOLIDAYS_MAX: usize = 1_000;

/// The weekdays in the order the week's fields are listed: Monday first, as in Germany.
const WEEK: [(Weekday, &str); 7] = [
    (Weekday::Monday, "monday"),
    (Weekday::Tuesday, "tuesday"),
    (Weekday::Wednesday, "wednesday"),
    (Weekday::Thursday, "thursday"),
    (Weekday::Friday, "friday"),
    (Weekday::Saturday, "saturday"),
    (Weekday::Sunday, "sunday"),
];

/// One stretch of opening hours within a day, from `start` up to but not including `end`,
/// in minutes after midnight of the local wall clock. An end of 24:00 means "until midnight".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpeningInterval {
    start: u16,
    end: u16,
}

/// Why a text is not an [`OpeningInterval`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    #[error("\"{0}\" is not an interval like 08:00-12:00")]
    Malformed(String),
    #[error("\"{0}\" is not a time of day from 00:00 to 24:00")]
    NotATime(String),
    #[error("the interval {0} does not end after it starts")]
    EndsBeforeStart(String),
}

impl OpeningInterval {
    /// An interval from `start_minute` to `end_minute` after midnight; the end may be 1440
    /// (24:00) and must come after the start.
    pub fn new(start_minute: u16, end_minute: u16) -> Result<OpeningInterval, IntervalError> {
        let interval = OpeningInterval {
            start: start_minute,
            end: end_minute,
        };
        if end_minute > MINUTES_PER_DAY {
            Err(IntervalError::NotATime(format_minute(end_minute)))
        } else if start_minute >= end_minute {
            Err(IntervalError::EndsBeforeStart(interval.to_string()))
        } else {
            Ok(interval)
        }
    }

    /// Reads `"08:00-12:00"`; hours may have one digit, white space around the parts and an
    /// en dash instead of the hyphen are accepted.
    pub fn parse(text: &str) -> Result<OpeningInterval, IntervalError> {
        let text = text.trim();
        let malformed = || IntervalError::Malformed(text.to_owned());
        let (start, end) = text
            .split_once('-')
            .or_else(|| text.split_once('–'))
            .ok_or_else(malformed)?;
        let start = parse_clock_time(start.trim(), malformed)?;
        let end = parse_clock_time(end.trim(), malformed)?;
        OpeningInterval::new(start, end)
    }

    /// Minutes after midnight when the interval opens.
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// Minutes after midnight when the interval closes; 1440 for midnight at the day's end.
    pub fn end_minute(self) -> u16 {
        self.end
    }

    fn overlaps(self, later: OpeningInterval) -> bool {
        later.start < self.end
    }
}

impl fmt::Display for OpeningInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            format_minute(self.start),
            format_minute(self.end)
        )
    }
}

fn format_minute(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// `"8:00"`, `"08:00"` or `"24:00"` as minutes after midnight; `malformed` is the error for
/// text not shaped like a time.
fn parse_clock_time(
    text: &str,
    malformed: impl Fn() -> IntervalError,
) -> Result<u16, IntervalError> {
    let (hours, minutes) = text.split_once(':').ok_or_else(&malformed)?;
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || hours.len() > 2 || !all_digits(minutes) || minutes.len() != 2 {
        return Err(malformed());
    }
    let not_a_time = || IntervalError::NotATime(text.to_owned());
    let hours: u16 = hours.parse().map_err(|_| not_a_time())?;
    let minutes: u16 = minutes.parse().map_err(|_| not_a_time())?;
    let minute_of_day = hours * 60 + minutes;
    if minutes < 60 && minute_of_day <= MINUTES_PER_DAY {
        Ok(minute_of_day)
    } else {
        Err(not_a_time())
    }
}

/// Which public holidays close the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicHolidays {
    /// None: only the custom closing days.
    None,
    /// The nine nationwide German holidays.
    Germany,
    /// The nationwide German holidays and those of one state.
    GermanState(GermanState),
}

impl PublicHolidays {
    /// Reads the form of [`CalendarInput::public_holidays`]: nothing, `""` or `"none"`;
    /// `"DE"`; a state as `"DE-NW"`, `"NW"` or `"Nordrhein-Westfalen"`.
    pub fn parse(value: Option<&str>) -> Option<PublicHolidays> {
        let value = value.map(str::trim).unwrap_or_default();
        if value.is_empty() || value.eq_ignore_ascii_case("none") {
            Some(PublicHolidays::None)
        } else if value.eq_ignore_ascii_case("DE") {
            Some(PublicHolidays::Germany)
        } else {
            GermanState::parse(value).map(PublicHolidays::GermanState)
        }
    }

    /// The canonical code: `None`, `"DE"` or `"DE-NW"`.
    pub fn code(self) -> Option<String> {
        match self {
            PublicHolidays::None => None,
            PublicHolidays::Germany => Some("DE".to_owned()),
            PublicHolidays::GermanState(state) => Some(format!("DE-{}", state.code())),
        }
    }

    fn allowed_codes() -> Vec<String> {
        let mut codes = vec!["none".to_owned(), "DE".to_owned()];
        codes.extend(
            GermanState::ALL
                .into_iter()
                .map(|state| format!("DE-{}", state.code())),
        );
        codes
    }
}

/// An organisation's business calendar. Every value of this type is valid: the time zone is
/// known, each day's intervals are sorted and do not overlap, and some day of the week is
/// open. Serialised as its [`CalendarInput`], and checked again when deserialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarInput", into = "CalendarInput")]
pub struct Calendar {
    time_zone_name: String,
    time_zone: TimeZone,
    /// Opening hours from Monday (index 0) to Sunday (index 6).
    week: [Vec<OpeningInterval>; 7],
    public_holidays: PublicHolidays,
    custom_holidays: BTreeSet<Date>,
}

impl Calendar {
    /// The IANA name of the calendar's time zone: `"Europe/Berlin"`.
    pub fn time_zone_name(&self) -> &str {
        &self.time_zone_name
    }

    /// The time zone whose wall clock the opening hours are read on.
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// The opening hours of a weekday, sorted; empty when closed.
    pub fn opening_hours(&self, weekday: Weekday) -> &[OpeningInterval] {
        &self.week[weekday_index(weekday)]
    }

    /// Which public holidays close the organisation.
    pub fn public_holidays(&self) -> PublicHolidays {
        self.public_holidays
    }

    /// The organisation's own closing days, in order.
    pub fn custom_holidays(&self) -> impl Iterator<Item = Date> + '_ {
        self.custom_holidays.iter().copied()
    }

    /// Whether `date` is a custom closing day; public holidays are asked for by year with
    /// [`Calendar::public_holiday_dates`], as looking each day up alone would recompute Easter.
    pub(super) fn is_custom_holiday(&self, date: Date) -> bool {
        self.custom_holidays.contains(&date)
    }

    /// The public holidays of `year` that close the organisation, sorted.
    pub fn public_holiday_dates(&self, year: i16) -> Vec<Date> {
        let state = match self.public_holidays {
            PublicHolidays::None => return Vec::new(),
            PublicHolidays::Germany => None,
            PublicHolidays::GermanState(state) => Some(state),
        };
        german_holidays(year, state)
            .into_iter()
            .map(|holiday| holiday.date)
            .collect()
    }

    /// Whether the organisation is closed all of `date` for a holiday, public or its own.
    pub fn is_holiday(&self, date: Date) -> bool {
        self.is_custom_holiday(date)
            || self
                .public_holiday_dates(date.year())
                .binary_search(&date)
                .is_ok()
    }

    /// True when no weekday has opening hours. Validation refuses such a calendar; the clock
    /// checks again rather than walk to the end of time.
    pub(super) fn is_never_open(&self) -> bool {
        self.week.iter().all(Vec::is_empty)
    }
}

fn weekday_index(weekday: Weekday) -> usize {
    // Monday is 0 and Sunday 6, so the cast cannot lose anything.
    weekday.to_monday_zero_offset().unsigned_abs().into()
}

/// A calendar as a form or an API client sends it, and as it is stored.
///
/// ```json
/// {
///   "time_zone": "Europe/Berlin",
///   "hours": {
///     "monday": "08:00-12:00, 13:00-17:00",
///     "friday": "08:00-14:00",
///     "saturday": ""
///   },
///   "public_holidays": "DE-NW",
///   "custom_holidays": ["2026-12-24", "2026-12-31"]
/// }
/// ```
///
/// A weekday missing from `hours` or given as `""` is closed; `24:00` may end an interval.
/// `public_holidays` is absent, `null`, `""` or `"none"` for none, `"DE"` for the nationwide
/// German holidays, or a state (`"DE-NW"`, `"NW"` or `"Nordrhein-Westfalen"`) for those and
/// the state's own. Custom holidays are dates `YYYY-MM-DD`, closed all day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarInput {
    /// An IANA time zone name such as `Europe/Berlin`.
    pub time_zone: String,
    /// Opening hours per weekday; a day left out is closed.
    #[serde(default)]
    pub hours: WeekHoursInput,
    /// `"none"`, `"DE"` or a state such as `"DE-NW"`; none when absent.
    #[serde(default)]
    pub public_holidays: Option<String>,
    /// The organisation's own closing days, `YYYY-MM-DD`.
    #[serde(default)]
    pub custom_holidays: Vec<String>,
}

/// Opening hours per weekday as text: comma-separated intervals, `""` when closed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekHoursInput {
    #[serde(default)]
    pub monday: String,
    #[serde(default)]
    pub tuesday: String,
    #[serde(default)]
    pub wednesday: String,
    #[serde(default)]
    pub thursday: String,
    #[serde(default)]
    pub friday: String,
    #[serde(default)]
    pub saturday: String,
    #[serde(default)]
    pub sunday: String,
}

impl WeekHoursInput {
    fn day(&self, weekday: Weekday) -> &str {
        match weekday {
            Weekday::Monday => &self.monday,
            Weekday::Tuesday => &self.tuesday,
            Weekday::Wednesday => &self.wednesday,
            Weekday::Thursday => &self.thursday,
            Weekday::Friday => &self.friday,
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
        }
    }

    fn day_mut(&mut self, weekday: Weekday) -> &mut String {
        match weekday {
            Weekday::Monday => &mut self.monday,
            Weekday::Tuesday => &mut self.tuesday,
            Weekday::Wednesday => &mut self.wednesday,
            Weekday::Thursday => &mut self.thursday,
            Weekday::Friday => &mut self.friday,
            Weekday::Saturday => &mut self.saturday,
            Weekday::Sunday => &mut self.sunday,
        }
    }
}

impl CalendarInput {
    /// Checks every field and reports all problems at once, each naming its field:
    /// `time_zone`, `hours.monday`, `hours` (never open), `public_holidays`,
    /// `custom_holidays[2]`.
    pub fn validate(&self) -> Result<Calendar, Problems> {
        let mut problems = Problems::default();
        let (time_zone_name, time_zone) = check_time_zone(&mut problems, &self.time_zone);

        let mut week: [Vec<OpeningInterval>; 7] = Default::default();
        let mut every_day_readable = true;
        for (weekday, name) in WEEK {
            let field = format!("hours.{name}");
            match check_day(&mut problems, &field, self.hours.day(weekday)) {
                Some(intervals) => week[weekday_index(weekday)] = intervals,
                None => every_day_readable = false,
            }
        }
        // A day with a mistake is not closed, so "never open" would be a second, wrong report.
        if every_day_readable && week.iter().all(Vec::is_empty) {
            problems.push(
                "hours",
                Problem::rule(
                    "never-open",
                    "the calendar is never open: give opening hours for at least one weekday",
                ),
            );
        }

        let public_holidays = match PublicHolidays::parse(self.public_holidays.as_deref()) {
            Some(holidays) => holidays,
            None => {
                problems.push(
                    "public_holidays",
                    Problem::Unknown {
                        value: self
                            .public_holidays
                            .as_deref()
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                        allowed: PublicHolidays::allowed_codes(),
                    },
                );
                PublicHolidays::None
            }
        };

        let custom_holidays = check_custom_holidays(&mut problems, &self.custom_holidays);

        problems.into_result(Calendar {
            time_zone_name,
            time_zone,
            week,
            public_holidays,
            custom_holidays,
        })
    }
}

fn check_time_zone(problems: &mut Problems, value: &str) -> (String, TimeZone) {
    let name = value.trim();
    if name.is_empty() {
        problems.push("time_zone", Problem::Required);
        return (String::new(), TimeZone::UTC);
    }
    match TimeZone::get(name) {
        // The database's spelling, so "europe/berlin" is stored as "Europe/Berlin".
        Ok(zone) => (zone.iana_name().unwrap_or(name).to_owned(), zone),
        Err(_) => {
            problems.push(
                "time_zone",
                Problem::rule(
                    "unknown-time-zone",
                    &format!(
                        "\"{name}\" is not a known time zone; use an IANA name such as Europe/Berlin"
                    ),
                ),
            );
            (String::new(), TimeZone::UTC)
        }
    }
}

/// One day's intervals, sorted and empty when closed; `None` when the text has problems.
fn check_day(problems: &mut Problems, field: &str, text: &str) -> Option<Vec<OpeningInterval>> {
    let mut intervals = Vec::new();
    let mut malformed = false;
    for part in text.split(',').filter(|part| !part.trim().is_empty()) {
        match OpeningInterval::parse(part) {
            Ok(interval) => intervals.push(interval),
            Err(error) => {
                let rule = match error {
                    IntervalError::EndsBeforeStart(_) => "ends-before-start",
                    IntervalError::Malformed(_) | IntervalError::NotATime(_) => "opening-interval",
                };
                problems.push(field, Problem::rule(rule, &error.to_string()));
                malformed = true;
            }
        }
    }
    if malformed {
        return None;
    }
    intervals.sort();
    for pair in intervals.windows(2) {
        if let [earlier, later] = pair
            && earlier.overlaps(*later)
        {
            problems.push(
                field,
                Problem::rule(
                    "overlapping-intervals",
                    &format!("the intervals {earlier} and {later} overlap"),
                ),
            );
            return None;
        }
    }
    Some(intervals)
}

fn check_custom_holidays(problems: &mut Problems, values: &[String]) -> BTreeSet<Date> {
    if values.len() > CUSTOM_HOLIDAYS_MAX {
        problems.push(
            "custom_holidays",
            Problem::TooMany {
                max: CUSTOM_HOLIDAYS_MAX,
            },
        );
        return BTreeSet::new();
    }
    let mut dates = BTreeSet::new();
    for (index, value) in values.iter().enumerate() {
        match parse_iso_date(value.trim()) {
            Some(date) => {
                dates.insert(date);
            }
            None => problems.push(
                format!("custom_holidays[{index}]"),
                Problem::rule(
                    "not-a-date",
                    &format!("\"{}\" is not a date like 2026-12-24", value.trim()),
                ),
            ),
        }
    }
    dates
}

/// Exactly `YYYY-MM-DD` and a real date: jiff's own parser would also take forms a person
/// did not mean to type into a date field, such as a date with a time.
fn parse_iso_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year: i16 = text.get(0..4)?.parse().ok()?;
    let month: i8 = text.get(5..7)?.parse().ok()?;
    let day: i8 = text.get(8..10)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

impl TryFrom<CalendarInput> for Calendar {
    type Error = Problems;

    fn try_from(input: CalendarInput) -> Result<Calendar, Problems> {
        input.validate()
    }
}

impl From<&Calendar> for CalendarInput {
    fn from(calendar: &Calendar) -> CalendarInput {
        let mut hours = WeekHoursInput::default();
        for (weekday, _) in WEEK {
            *hours.day_mut(weekday) = calendar
                .opening_hours(weekday)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
        }
        CalendarInput {
            time_zone: calendar.time_zone_name.clone(),
            hours,
            public_holidays: calendar.public_holidays.code(),
            custom_holidays: calendar
                .custom_holidays
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

impl From<Calendar> for CalendarInput {
    fn from(calendar: Calendar) -> CalendarInput {
        CalendarInput::from(&calendar)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;
    use serde_json::json;

    use super::*;

    fn office() -> CalendarInput {
        CalendarInput {
            time_zone: "Europe/Berlin".into(),
            hours: WeekHoursInput {
                monday: "08:00-12:00, 13:00-17:00".into(),
                friday: "8:00 – 14:00".into(),
                ..WeekHoursInput::default()
            },
            public_holidays: Some("NW".into()),
            custom_holidays: vec!["2026-12-24".into()],
        }
    }

    fn fields(problems: &Problems) -> Vec<&str> {
        problems.0.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_valid_input_becomes_a_calendar() {
        let calendar = office().validate().unwrap();
        assert_eq!(calendar.time_zone_name(), "Europe/Berlin");
        assert_eq!(
            calendar.opening_hours(Weekday::Monday),
            [
                OpeningInterval::new(8 * 60, 12 * 60).unwrap(),
                OpeningInterval::new(13 * 60, 17 * 60).unwrap()
            ]
        );
        assert_eq!(
            calendar.opening_hours(Weekday::Friday),
            [OpeningInterval::new(8 * 60, 14 * 60).unwrap()]
        );
        assert!(calendar.opening_hours(Weekday::Sunday).is_empty());
        assert_eq!(
            calendar.public_holidays(),
            PublicHolidays::GermanState(GermanState::NW)
        );
        assert!(calendar.is_holiday(date(2026, 12, 24)));
        assert!(calendar.is_holiday(date(2026, 6, 4)));
        assert!(!calendar.is_holiday(date(2026, 6, 5)));
    }

    #[test]
    fn intervals_are_sorted_and_may_end_at_midnight() {
        let input = CalendarInput {
            time_zone: "europe/berlin".into(),
            hours: WeekHoursInput {
                sunday: "18:00-24:00, 00:00-06:00".into(),
                ..WeekHoursInput::default()
            },
            ..CalendarInput::default()
        };
        let calendar = input.validate().unwrap();
        assert_eq!(calendar.time_zone_name(), "Europe/Berlin");
        let sunday: Vec<String> = calendar
            .opening_hours(Weekday::Sunday)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(sunday, ["00:00-06:00", "18:00-24:00"]);
    }

    #[test]
    fn touching_intervals_do_not_overlap() {
        let input = CalendarInput {
            time_zone: "UTC".into(),
            hours: WeekHoursInput {
                monday: "08:00-12:00,12:00-17:00".into(),
                ..WeekHoursInput::default()
            },
            ..CalendarInput::default()
        };
        assert!(input.validate().is_ok());
    }

    #[test]
    fn every_problem_names_its_field() {
        let input = CalendarInput {
            time_zone: "Mars/Olympus_Mons".into(),
            hours: WeekHoursInput {
                monday: "08:00-12:00, 11:00-13:00".into(),
                tuesday: "8-12".into(),
                wednesday: "17:00-08:00".into(),
                thursday: "25:00-26:00".into(),
                friday: "08:00-17:00".into(),
                ..WeekHoursInput::default()
            },
            public_holidays: Some("XX".into()),
            custom_holidays: vec![
                "2026-12-24".into(),
                "2026-12-31".into(),
                "2026-02-30".into(),
                "24.12.2026".into(),
            ],
        };
        let problems = input.validate().unwrap_err();
        assert_eq!(
            fields(&problems),
            [
                "time_zone",
                "hours.monday",
                "hours.tuesday",
                "hours.wednesday",
                "hours.thursday",
                "public_holidays",
                "custom_holidays[2]",
                "custom_holidays[3]",
            ]
        );
        let messages: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "time_zone: \"Mars/Olympus_Mons\" is not a known time zone; use an IANA name such as Europe/Berlin",
                "hours.monday: the intervals 08:00-12:00 and 11:00-13:00 overlap",
                "hours.tuesday: \"8-12\" is not an interval like 08:00-12:00",
                "hours.wednesday: the interval 17:00-08:00 does not end after it starts",
                "hours.thursday: \"25:00\" is not a time of day from 00:00 to 24:00",
                "public_holidays: unknown value \"XX\"; allowed: none, DE, DE-BW, DE-BY, DE-BE, DE-BB, DE-HB, DE-HH, DE-HE, DE-MV, DE-NI, DE-NW, DE-RP, DE-SL, DE-SN, DE-ST, DE-SH, DE-TH",
                "custom_holidays[2]: \"2026-02-30\" is not a date like 2026-12-24",
                "custom_holidays[3]: \"24.12.2026\" is not a date like 2026-12-24",
            ]
        );
        assert!(matches!(
            &problems.0[1].problem,
            Problem::Rule { rule, .. } if rule == "overlapping-intervals"
        ));
    }

    #[test]
    fn a_calendar_that_is_never_open_is_refused() {
        let input = CalendarInput {
            time_zone: "Europe/Berlin".into(),
            ..CalendarInput::default()
        };
        let problems = input.validate().unwrap_err();
        assert_eq!(fields(&problems), ["hours"]);
        assert!(matches!(
            &problems.0[0].problem,
            Problem::Rule { rule, .. } if rule == "never-open"
        ));
    }

    #[test]
    fn a_missing_time_zone_is_required() {
        let input = CalendarInput {
            hours: WeekHoursInput {
                monday: "08:00-17:00".into(),
                ..WeekHoursInput::default()
            },
            ..CalendarInput::default()
        };
        let problems = input.validate().unwrap_err();
        assert_eq!(problems.0[0].field, "time_zone");
        assert_eq!(problems.0[0].problem, Problem::Required);
    }

    #[test]
    fn too_many_custom_holidays_are_refused_at_once() {
        let input = CalendarInput {
            custom_holidays: vec!["2026-12-24".into(); CUSTOM_HOLIDAYS_MAX + 1],
            ..office()
        };
        let problems = input.validate().unwrap_err();
        assert_eq!(fields(&problems), ["custom_holidays"]);
    }

    #[test]
    fn public_holidays_accept_codes_and_names() {
        let parse = |value: Option<&str>| PublicHolidays::parse(value);
        assert_eq!(parse(None), Some(PublicHolidays::None));
        assert_eq!(parse(Some(" ")), Some(PublicHolidays::None));
        assert_eq!(parse(Some("none")), Some(PublicHolidays::None));
        assert_eq!(parse(Some("de")), Some(PublicHolidays::Germany));
        for value in ["DE-SN", "SN", "Sachsen"] {
            assert_eq!(
                parse(Some(value)),
                Some(PublicHolidays::GermanState(GermanState::SN))
            );
        }
        assert_eq!(parse(Some("FR")), None);
    }

    #[test]
    fn intervals_parse_strictly() {
        assert_eq!(
            OpeningInterval::parse("00:00-24:00").unwrap().end_minute(),
            1440
        );
        for bad in [
            "08:00",
            "08:00-",
            "8-12",
            "08:0-12:00",
            "08:00-24:01",
            "24:00-24:00",
            "08:60-09:00",
            "+8:00-09:00",
            "008:00-09:00",
        ] {
            assert!(OpeningInterval::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_form_is_the_canonical_input() {
        let calendar = office().validate().unwrap();
        let stored = serde_json::to_value(&calendar).unwrap();
        assert_eq!(
            stored,
            json!({
                "time_zone": "Europe/Berlin",
                "hours": {
                    "monday": "08:00-12:00, 13:00-17:00",
                    "tuesday": "",
                    "wednesday": "",
                    "thursday": "",
                    "friday": "08:00-14:00",
                    "saturday": "",
                    "sunday": ""
                },
                "public_holidays": "DE-NW",
                "custom_holidays": ["2026-12-24"]
            })
        );
        let read: Calendar = serde_json::from_value(stored).unwrap();
        assert_eq!(read, calendar);
    }

    #[test]
    fn a_stored_calendar_is_checked_when_read() {
        let broken = json!({ "time_zone": "Europe/Berlin", "hours": { "monday": "9-5" } });
        let error = serde_json::from_value::<Calendar>(broken).unwrap_err();
        assert!(error.to_string().contains("hours.monday"), "{error}");
        let unknown_field = json!({ "time_zone": "UTC", "hours": { "funday": "08:00-17:00" } });
        assert!(serde_json::from_value::<Calendar>(unknown_field).is_err());
    }
}
