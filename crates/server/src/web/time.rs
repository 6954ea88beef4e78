//! Instants as people of the organisation read them: in its time zone, in the page's
//! language. What machines read (exports, the API, `datetime` attributes) stays in UTC.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use minijinja::value::{Object, Value};

use crate::i18n::Lang;

/// The organisation's time zone, as a page renders with it; its templates find it as `zone`.
#[derive(Debug, Clone)]
pub struct Zone(pub TimeZone);

impl Zone {
    /// The zone named `name`; a name the database does not know is UTC, which every text
    /// of it then says.
    pub fn named(name: &str) -> Zone {
        Zone(TimeZone::get(name).unwrap_or(TimeZone::UTC))
    }

    /// The zone of a page that learned nothing better: the store's default.
    pub fn fallback() -> Zone {
        Zone::named(touchpoints_store::DEFAULT_TIME_ZONE)
    }

    /// A template's value for the zone, as the `instant` filter reads it.
    pub fn value(&self) -> Value {
        Value::from_object(self.clone())
    }
}

impl Object for Zone {}

/// How precisely an instant is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Minutes,
    Seconds,
}

/// An instant's local date and time: "04.12.2026, 15:00" in German, "2026-12-04 15:00" in
/// English (with ":07" seconds at [`Precision::Seconds`]).
pub fn local_time(at: Timestamp, zone: &TimeZone, lang: Lang, precision: Precision) -> String {
    let format = match (lang, precision) {
        (Lang::De, Precision::Minutes) => "%d.%m.%Y, %H:%M",
        (Lang::De, Precision::Seconds) => "%d.%m.%Y, %H:%M:%S",
        (Lang::En, Precision::Minutes) => "%Y-%m-%d %H:%M",
        (Lang::En, Precision::Seconds) => "%Y-%m-%d %H:%M:%S",
    };
    at.to_zoned(zone.clone()).strftime(format).to_string()
}

/// Which zone and offset a local time is in, for its tooltip: "Europe/Berlin, UTC+01:00".
/// It tells apart the hour a change back from summer time shows twice.
pub fn zone_note(at: Timestamp, zone: &TimeZone) -> String {
    let seconds = zone.to_offset(at).seconds();
    let offset = if seconds == 0 {
        "UTC".to_owned()
    } else {
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    };
    match zone.iana_name() {
        Some("UTC") | None => offset,
        Some(name) => format!("{name}, {offset}"),
    }
}

/// An instant as a `<time>` element: its UTC instant for machines, its local time for
/// people, and its zone and offset as a tooltip.
pub fn time_element(at: Timestamp, zone: &TimeZone, lang: Lang, precision: Precision) -> String {
    let machine = match precision {
        Precision::Minutes => at.strftime("%Y-%m-%dT%H:%MZ").to_string(),
        Precision::Seconds => at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    format!(
        "<time datetime=\"{machine}\" title=\"{}\">{}</time>",
        zone_note(at, zone),
        local_time(at, zone, lang, precision)
    )
}

/// How far `at` lies from `now`, as people say it: "in 40 Min.", "vor 2 Std. 5 Min.",
/// "in 3 Tagen" in German; "in 40 min", "2 h 5 min ago", "in 3 days" in English; "jetzt" /
/// "now" within a minute. Minutes are dropped from ten hours on, hours from two days on
/// (whole days, rounded down).
pub fn relative(at: Timestamp, now: Timestamp, lang: Lang) -> String {
    let seconds = at.as_second() - now.as_second();
    let minutes = seconds.unsigned_abs() / 60;
    if minutes == 0 {
        return lang.pick("jetzt", "now").to_owned();
    }
    let (hours, rest) = (minutes / 60, minutes % 60);
    let span = match (lang, hours, rest) {
        (_, h, _) if h >= 48 => {
            let days = h / 24;
            format!("{days} {}", lang.pick("Tagen", "days"))
        }
        (Lang::De, 0, m) => format!("{m} Min."),
        (Lang::En, 0, m) => format!("{m} min"),
        (Lang::De, h, m) if h >= 10 || m == 0 => format!("{h} Std."),
        (Lang::En, h, m) if h >= 10 || m == 0 => format!("{h} h"),
        (Lang::De, h, m) => format!("{h} Std. {m} Min."),
        (Lang::En, h, m) => format!("{h} h {m} min"),
    };
    match (lang, seconds > 0) {
        (_, true) => format!("in {span}"),
        (Lang::De, false) => format!("vor {span}"),
        (Lang::En, false) => format!("{span} ago"),
    }
}

/// An instant as a `<time>` element that says how far it lies from `now`, with its local
/// time and zone as the tooltip.
pub fn relative_element(at: Timestamp, now: Timestamp, zone: &TimeZone, lang: Lang) -> String {
    format!(
        "<time datetime=\"{}\" title=\"{} ({})\">{}</time>",
        at.strftime("%Y-%m-%dT%H:%MZ"),
        local_time(at, zone, lang, Precision::Minutes),
        zone_note(at, zone),
        relative(at, now, lang)
    )
}

/// The start of a day in the organisation's time zone `zone` from `YYYY-MM-DD`, or of the
/// day after it; `Ok(None)` for an empty field. The page shows its instants in that zone,
/// so a day in the filter is the day of the times it shows.
pub(super) fn day_start(
    text: &str,
    day_after: bool,
    zone: &TimeZone,
) -> Result<Option<Timestamp>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !well_formed {
        return Err(());
    }
    let date: jiff::civil::Date = text.parse().map_err(|_| ())?;
    let date = if day_after {
        date.tomorrow().map_err(|_| ())?
    } else {
        date
    };
    date.to_zoned(zone.clone())
        .map(|zoned| Some(zoned.timestamp()))
        .map_err(|_| ())
}

/// The zone a template renders with: the `zone` its page set, or the fallback.
pub fn of_template(state: &minijinja::State) -> Arc<Zone> {
    state
        .lookup("zone")
        .and_then(|v| v.downcast_object::<Zone>())
        .unwrap_or_else(|| Arc::new(Zone::fallback()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").expect("the bundled database knows Berlin")
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("instant")
    }

    #[test]
    fn days_start_at_midnight_in_the_organisations_zone() {
        let utc = TimeZone::UTC;
        let berlin = TimeZone::get("Europe/Berlin").expect("Berlin");
        assert_eq!(day_start("", false, &utc), Ok(None));
        assert_eq!(
            day_start("2026-03-01", false, &utc).map(|t| t.map(|t| t.to_string())),
            Ok(Some("2026-03-01T00:00:00Z".to_owned()))
        );
        assert_eq!(
            day_start(" 2026-02-28 ", true, &utc).map(|t| t.map(|t| t.to_string())),
            Ok(Some("2026-03-01T00:00:00Z".to_owned()))
        );
        // Berlin: an hour ahead of UTC in winter, two in summer.
        assert_eq!(
            day_start("2026-03-01", false, &berlin).map(|t| t.map(|t| t.to_string())),
            Ok(Some("2026-02-28T23:00:00Z".to_owned()))
        );
        assert_eq!(
            day_start("2026-06-30", true, &berlin).map(|t| t.map(|t| t.to_string())),
            Ok(Some("2026-06-30T22:00:00Z".to_owned()))
        );
        for bad in [
            "2026-02-30",
            "2026-2-1",
            "01.03.2026",
            "2026-03-01T10:00",
            "x",
        ] {
            assert_eq!(day_start(bad, false, &utc), Err(()), "{bad}");
        }
    }

    #[test]
    fn relative_times_read_as_people_say_them() {
        let now = at("2026-12-04T14:00:00Z");
        let cases = [
            ("2026-12-04T14:00:30Z", "jetzt", "now"),
            ("2026-12-04T14:40:00Z", "in 40 Min.", "in 40 min"),
            ("2026-12-04T13:20:00Z", "vor 40 Min.", "40 min ago"),
            ("2026-12-04T16:05:00Z", "in 2 Std. 5 Min.", "in 2 h 5 min"),
            ("2026-12-04T11:00:00Z", "vor 3 Std.", "3 h ago"),
            ("2026-12-05T02:30:00Z", "in 12 Std.", "in 12 h"),
            ("2026-12-06T13:59:00Z", "in 47 Std.", "in 47 h"),
            ("2026-12-07T15:00:00Z", "in 3 Tagen", "in 3 days"),
            ("2026-12-01T13:00:00Z", "vor 3 Tagen", "3 days ago"),
        ];
        for (when, german, english) in cases {
            assert_eq!(relative(at(when), now, Lang::De), german, "{when}");
            assert_eq!(relative(at(when), now, Lang::En), english, "{when}");
        }
        let element = relative_element(at("2026-12-04T14:40:00Z"), now, &berlin(), Lang::De);
        assert_eq!(
            element,
            "<time datetime=\"2026-12-04T14:40Z\" title=\"04.12.2026, 15:40 (Europe/Berlin, \
             UTC+01:00)\">in 40 Min.</time>"
        );
    }

    #[test]
    fn berlin_is_an_hour_ahead_in_winter_and_two_in_summer() {
        let winter = at("2026-12-04T14:00:00Z");
        let summer = at("2026-07-01T14:00:00Z");
        assert_eq!(
            local_time(winter, &berlin(), Lang::De, Precision::Minutes),
            "04.12.2026, 15:00"
        );
        assert_eq!(
            local_time(summer, &berlin(), Lang::De, Precision::Minutes),
            "01.07.2026, 16:00"
        );
        assert_eq!(
            local_time(winter, &berlin(), Lang::En, Precision::Minutes),
            "2026-12-04 15:00"
        );
        assert_eq!(
            local_time(
                at("2026-07-01T14:00:07Z"),
                &berlin(),
                Lang::De,
                Precision::Seconds
            ),
            "01.07.2026, 16:00:07"
        );
        assert_eq!(zone_note(winter, &berlin()), "Europe/Berlin, UTC+01:00");
        assert_eq!(zone_note(summer, &berlin()), "Europe/Berlin, UTC+02:00");
    }

    #[test]
    fn the_hour_shown_twice_in_autumn_is_told_apart_by_its_offset() {
        // Summer time ends on 25 October 2026 at 01:00 UTC: 02:30 local comes twice.
        let first = at("2026-10-25T00:30:00Z");
        let second = at("2026-10-25T01:30:00Z");
        let text = |t| local_time(t, &berlin(), Lang::De, Precision::Minutes);
        assert_eq!(text(first), "25.10.2026, 02:30");
        assert_eq!(text(second), "25.10.2026, 02:30");
        assert_eq!(zone_note(first, &berlin()), "Europe/Berlin, UTC+02:00");
        assert_eq!(zone_note(second, &berlin()), "Europe/Berlin, UTC+01:00");
    }

    #[test]
    fn the_element_keeps_the_utc_instant_for_machines() {
        let html = time_element(
            at("2026-12-04T14:00:00Z"),
            &berlin(),
            Lang::De,
            Precision::Minutes,
        );
        assert_eq!(
            html,
            "<time datetime=\"2026-12-04T14:00Z\" title=\"Europe/Berlin, UTC+01:00\">\
             04.12.2026, 15:00</time>"
        );
        let utc = time_element(
            at("2026-12-04T14:00:07Z"),
            &TimeZone::UTC,
            Lang::En,
            Precision::Seconds,
        );
        assert_eq!(
            utc,
            "<time datetime=\"2026-12-04T14:00:07Z\" title=\"UTC\">2026-12-04 14:00:07</time>"
        );
    }

    #[test]
    fn an_unknown_zone_name_is_utc() {
        let zone = Zone::named("Europe/Nirgendwo");
        assert_eq!(zone_note(at("2026-12-04T14:00:00Z"), &zone.0), "UTC");
    }
}
