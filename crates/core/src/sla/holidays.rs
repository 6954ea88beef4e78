//! German public holidays: the nine nationwide ones and each federal state's own.
//!
//! Only holidays that a state's holiday law grants statewide count. Holidays of single
//! communities are left out: Mariä Himmelfahrt in Bavaria (communities with a Catholic
//! majority), Fronleichnam in parts of Saxony and Thuringia, the Augsburger Friedensfest.
//! The rules as they stand are applied to every year, with the changes since 2017 dated
//! (new holidays in Berlin, Hamburg, Bremen, Lower Saxony, Schleswig-Holstein,
//! Mecklenburg-Western Pomerania and Thuringia, and the one-off holidays of 2017, 2020 and
//! 2025); older history, such as Buß- und Bettag being nationwide until 1994, is not.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

/// A German federal state, by its official two-letter abbreviation (the part after `DE-` of
/// its ISO 3166-2 code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GermanState {
    /// Baden-Württemberg
    BW,
    /// Bayern
    BY,
    /// Berlin
    BE,
    /// Brandenburg
    BB,
    /// Bremen
    HB,
    /// Hamburg
    HH,
    /// Hessen
    HE,
    /// Mecklenburg-Vorpommern
    MV,
    /// Niedersachsen
    NI,
    /// Nordrhein-Westfalen
    NW,
    /// Rheinland-Pfalz
    RP,
    /// Saarland
    SL,
    /// Sachsen
    SN,
    /// Sachsen-Anhalt
    ST,
    /// Schleswig-Holstein
    SH,
    /// Thüringen
    TH,
}

impl GermanState {
    /// Every state, in the order of the official abbreviation list.
    pub const ALL: [GermanState; 16] = [
        GermanState::BW,
        GermanState::BY,
        GermanState::BE,
        GermanState::BB,
        GermanState::HB,
        GermanState::HH,
        GermanState::HE,
        GermanState::MV,
        GermanState::NI,
        GermanState::NW,
        GermanState::RP,
        GermanState::SL,
        GermanState::SN,
        GermanState::ST,
        GermanState::SH,
        GermanState::TH,
    ];

    /// The two-letter abbreviation: `"NW"`.
    pub fn code(self) -> &'static str {
        match self {
            GermanState::BW => "BW",
            GermanState::BY => "BY",
            GermanState::BE => "BE",
            GermanState::BB => "BB",
            GermanState::HB => "HB",
            GermanState::HH => "HH",
            GermanState::HE => "HE",
            GermanState::MV => "MV",
            GermanState::NI => "NI",
            GermanState::NW => "NW",
            GermanState::RP => "RP",
            GermanState::SL => "SL",
            GermanState::SN => "SN",
            GermanState::ST => "ST",
            GermanState::SH => "SH",
            GermanState::TH => "TH",
        }
    }

    /// The state's name in German: `"Nordrhein-Westfalen"`.
    pub fn german_name(self) -> &'static str {
        match self {
            GermanState::BW => "Baden-Württemberg",
            GermanState::BY => "Bayern",
            GermanState::BE => "Berlin",
            GermanState::BB => "Brandenburg",
            GermanState::HB => "Bremen",
            GermanState::HH => "Hamburg",
            GermanState::HE => "Hessen",
            GermanState::MV => "Mecklenburg-Vorpommern",
            GermanState::NI => "Niedersachsen",
            GermanState::NW => "Nordrhein-Westfalen",
            GermanState::RP => "Rheinland-Pfalz",
            GermanState::SL => "Saarland",
            GermanState::SN => "Sachsen",
            GermanState::ST => "Sachsen-Anhalt",
            GermanState::SH => "Schleswig-Holstein",
            GermanState::TH => "Thüringen",
        }
    }

    /// The state named by its abbreviation (`"NW"`, `"nw"`, `"DE-NW"`) or its German name
    /// (`"Nordrhein-Westfalen"`), ignoring case and surrounding white space.
    pub fn parse(value: &str) -> Option<GermanState> {
        let value = value.trim();
        let code = match value.get(..3) {
            Some(prefix) if prefix.eq_ignore_ascii_case("DE-") => &value[3..],
            _ => value,
        };
        let name = value.to_lowercase();
        GermanState::ALL.into_iter().find(|state| {
            state.code().eq_ignore_ascii_case(code) || state.german_name().to_lowercase() == name
        })
    }

    /// Whether a rule that names this state among `states` applies to it.
    fn is_one_of(self, states: &[GermanState]) -> bool {
        states.contains(&self)
    }
}

/// One public holiday: a date and its German name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: Date,
    /// The holiday's name as the law gives it: `"Fronleichnam"`.
    pub name: &'static str,
}

/// Easter Sunday of `year` by the Gregorian computus (the "anonymous" algorithm published by
/// Meeus, after Jones and Butcher), or `None` for a year outside the dates jiff represents.
pub fn easter_sunday(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let golden = y.rem_euclid(19);
    let century = y.div_euclid(100);
    let year_of_century = y.rem_euclid(100);
    let leap_centuries = century.div_euclid(4);
    let century_rest = century.rem_euclid(4);
    let moon_correction = (century + 8).div_euclid(25);
    let solar_correction = (century - moon_correction + 1).div_euclid(3);
    let epact = (19 * golden + century - leap_centuries - solar_correction + 15).rem_euclid(30);
    let leap_years = year_of_century.div_euclid(4);
    let year_rest = year_of_century.rem_euclid(4);
    let to_sunday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest).rem_euclid(7);
    let late_full_moon = (golden + 11 * epact + 22 * to_sunday).div_euclid(451);
    let days = epact + to_sunday - 7 * late_full_moon + 114;
    let month = i8::try_from(days.div_euclid(31)).ok()?;
    let day = i8::try_from(days.rem_euclid(31) + 1).ok()?;
    Date::new(year, month, day).ok()
}

/// The public holidays of `year`: the nationwide ones, and with a `state` that state's own
/// too, sorted by date. Empty for a year outside the dates jiff represents.
pub fn german_holidays(year: i16, state: Option<GermanState>) -> Vec<Holiday> {
    use GermanState::*;

    let in_state = |states: &[GermanState]| state.is_some_and(|s| s.is_one_of(states));
    let fixed = |month: i8, day: i8| Date::new(year, month, day).ok();
    let easter = easter_sunday(year);
    let after_easter =
        |days: i64| easter.and_then(|sunday| sunday.checked_add(jiff::Span::new().days(days)).ok());

    let mut candidates: Vec<(Option<Date>, &'static str)> = vec![
        (fixed(1, 1), "Neujahr"),
        (after_easter(-2), "Karfreitag"),
        (after_easter(1), "Ostermontag"),
        (fixed(5, 1), "Tag der Arbeit"),
        (after_easter(39), "Christi Himmelfahrt"),
        (after_easter(50), "Pfingstmontag"),
        (fixed(10, 3), "Tag der Deutschen Einheit"),
        (fixed(12, 25), "1. Weihnachtsfeiertag"),
        (fixed(12, 26), "2. Weihnachtsfeiertag"),
    ];
    let mut add_if = |applies: bool, date: Option<Date>, name: &'static str| {
        if applies {
            candidates.push((date, name));
        }
    };

    add_if(in_state(&[BW, BY, ST]), fixed(1, 6), "Heilige Drei Könige");
    add_if(
        (in_state(&[BE]) && year >= 2019) || (in_state(&[MV]) && year >= 2023),
        fixed(3, 8),
        "Internationaler Frauentag",
    );
    // Brandenburg's law lists the two Sundays; they matter to calendars open on Sundays.
    add_if(in_state(&[BB]), easter, "Ostersonntag");
    add_if(in_state(&[BB]), after_easter(49), "Pfingstsonntag");
    add_if(
        in_state(&[BW, BY, HE, NW, RP, SL]),
        after_easter(60),
        "Fronleichnam",
    );
    // Berlin made the 75th and 80th anniversaries of the end of the war one-off holidays.
    add_if(
        in_state(&[BE]) && (year == 2020 || year == 2025),
        fixed(5, 8),
        "Tag der Befreiung",
    );
    add_if(in_state(&[SL]), fixed(8, 15), "Mariä Himmelfahrt");
    add_if(
        in_state(&[TH]) && year >= 2019,
        fixed(9, 20),
        "Weltkindertag",
    );
    // 2017, the 500th anniversary of the Reformation, was a holiday in every state.
    let reformation_day = year == 2017
        || in_state(&[BB, MV, SN, ST, TH])
        || (in_state(&[HB, HH, NI, SH]) && year >= 2018);
    add_if(reformation_day, fixed(10, 31), "Reformationstag");
    add_if(
        in_state(&[BW, BY, NW, RP, SL]),
        fixed(11, 1),
        "Allerheiligen",
    );
    add_if(in_state(&[SN]), day_of_repentance(year), "Buß- und Bettag");

    let mut holidays: Vec<Holiday> = candidates
        .into_iter()
        .filter_map(|(date, name)| date.map(|date| Holiday { date, name }))
        .collect();
    holidays.sort_by_key(|holiday| holiday.date);
    holidays
}

/// Buß- und Bettag: the Wednesday before 23 November (Saxony's holiday law).
fn day_of_repentance(year: i16) -> Option<Date> {
    let last_candidate = Date::new(year, 11, 22).ok()?;
    let back = (last_candidate.weekday().to_monday_zero_offset()
        - Weekday::Wednesday.to_monday_zero_offset())
    .rem_euclid(7);
    last_candidate
        .checked_add(jiff::Span::new().days(-i64::from(back)))
        .ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn dates(year: i16, state: Option<GermanState>) -> Vec<Date> {
        german_holidays(year, state)
            .into_iter()
            .map(|h| h.date)
            .collect()
    }

    fn has(year: i16, state: GermanState, name: &str) -> bool {
        german_holidays(year, Some(state))
            .iter()
            .any(|h| h.name == name)
    }

    #[test]
    fn easter_follows_the_gregorian_computus() {
        assert_eq!(easter_sunday(2024), Some(date(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(date(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(date(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(date(2027, 3, 28)));
        // The extremes of the Gregorian range: 22 March and 25 April.
        assert_eq!(easter_sunday(1818), Some(date(1818, 3, 22)));
        assert_eq!(easter_sunday(2038), Some(date(2038, 4, 25)));
        assert_eq!(easter_sunday(2000), Some(date(2000, 4, 23)));
    }

    #[test]
    fn nationwide_holidays_of_2026() {
        assert_eq!(
            german_holidays(2026, None),
            vec![
                Holiday {
                    date: date(2026, 1, 1),
                    name: "Neujahr"
                },
                Holiday {
                    date: date(2026, 4, 3),
                    name: "Karfreitag"
                },
                Holiday {
                    date: date(2026, 4, 6),
                    name: "Ostermontag"
                },
                Holiday {
                    date: date(2026, 5, 1),
                    name: "Tag der Arbeit"
                },
                Holiday {
                    date: date(2026, 5, 14),
                    name: "Christi Himmelfahrt"
                },
                Holiday {
                    date: date(2026, 5, 25),
                    name: "Pfingstmontag"
                },
                Holiday {
                    date: date(2026, 10, 3),
                    name: "Tag der Deutschen Einheit"
                },
                Holiday {
                    date: date(2026, 12, 25),
                    name: "1. Weihnachtsfeiertag"
                },
                Holiday {
                    date: date(2026, 12, 26),
                    name: "2. Weihnachtsfeiertag"
                },
            ]
        );
    }

    #[test]
    fn north_rhine_westphalia_2026_adds_corpus_christi_and_all_saints() {
        assert_eq!(
            dates(2026, Some(GermanState::NW)),
            vec![
                date(2026, 1, 1),
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 5, 1),
                date(2026, 5, 14),
                date(2026, 5, 25),
                date(2026, 6, 4),
                date(2026, 10, 3),
                date(2026, 11, 1),
                date(2026, 12, 25),
                date(2026, 12, 26),
            ]
        );
    }

    #[test]
    fn each_state_has_its_own_count_in_2026() {
        use GermanState::*;
        let expected = [
            (BW, 12),
            (BY, 12),
            (BE, 10),
            (BB, 12),
            (HB, 10),
            (HH, 10),
            (HE, 10),
            (MV, 11),
            (NI, 10),
            (NW, 11),
            (RP, 11),
            (SL, 12),
            (SN, 11),
            (ST, 11),
            (SH, 10),
            (TH, 11),
        ];
        for (state, count) in expected {
            assert_eq!(german_holidays(2026, Some(state)).len(), count, "{state:?}");
        }
    }

    #[test]
    fn lists_are_sorted_by_date() {
        for year in [2008, 2017, 2025, 2026, 2038] {
            for state in GermanState::ALL {
                let list = dates(year, Some(state));
                assert!(list.is_sorted(), "{year} {state:?}");
            }
        }
    }

    #[test]
    fn day_of_repentance_is_the_wednesday_before_23_november_in_saxony_only() {
        let in_saxony = |year| {
            german_holidays(year, Some(GermanState::SN))
                .into_iter()
                .find(|h| h.name == "Buß- und Bettag")
                .map(|h| h.date)
        };
        assert_eq!(in_saxony(2026), Some(date(2026, 11, 18)));
        assert_eq!(in_saxony(2025), Some(date(2025, 11, 19)));
        // 23 November 2022 was a Wednesday: the holiday is the one a week before.
        assert_eq!(in_saxony(2022), Some(date(2022, 11, 16)));
        assert!(!has(2026, GermanState::BY, "Buß- und Bettag"));
    }

    #[test]
    fn holidays_introduced_since_2018_start_in_their_year() {
        assert!(!has(2018, GermanState::BE, "Internationaler Frauentag"));
        assert!(has(2019, GermanState::BE, "Internationaler Frauentag"));
        assert!(!has(2022, GermanState::MV, "Internationaler Frauentag"));
        assert!(has(2023, GermanState::MV, "Internationaler Frauentag"));
        assert!(!has(2018, GermanState::TH, "Weltkindertag"));
        assert!(has(2019, GermanState::TH, "Weltkindertag"));
        assert!(!has(2016, GermanState::HH, "Reformationstag"));
        assert!(has(2018, GermanState::HH, "Reformationstag"));
        assert!(has(2016, GermanState::SN, "Reformationstag"));
    }

    #[test]
    fn one_off_holidays() {
        assert!(dates(2017, None).contains(&date(2017, 10, 31)));
        assert!(dates(2017, Some(GermanState::BY)).contains(&date(2017, 10, 31)));
        assert!(!dates(2018, Some(GermanState::BY)).contains(&date(2018, 10, 31)));
        assert!(has(2025, GermanState::BE, "Tag der Befreiung"));
        assert!(!has(2026, GermanState::BE, "Tag der Befreiung"));
    }

    #[test]
    fn assumption_of_mary_counts_in_saarland_only() {
        assert!(has(2026, GermanState::SL, "Mariä Himmelfahrt"));
        assert!(!has(2026, GermanState::BY, "Mariä Himmelfahrt"));
    }

    #[test]
    fn brandenburg_lists_easter_and_whit_sunday() {
        let list = dates(2026, Some(GermanState::BB));
        assert!(list.contains(&date(2026, 4, 5)));
        assert!(list.contains(&date(2026, 5, 24)));
        assert!(!dates(2026, Some(GermanState::BE)).contains(&date(2026, 4, 5)));
    }

    #[test]
    fn states_parse_from_code_or_german_name() {
        assert_eq!(GermanState::parse("NW"), Some(GermanState::NW));
        assert_eq!(GermanState::parse(" nw "), Some(GermanState::NW));
        assert_eq!(GermanState::parse("DE-by"), Some(GermanState::BY));
        assert_eq!(GermanState::parse("thüringen"), Some(GermanState::TH));
        assert_eq!(
            GermanState::parse("Baden-Württemberg"),
            Some(GermanState::BW)
        );
        assert_eq!(GermanState::parse("XX"), None);
        assert_eq!(GermanState::parse(""), None);
        for state in GermanState::ALL {
            assert_eq!(GermanState::parse(state.code()), Some(state));
            assert_eq!(GermanState::parse(state.german_name()), Some(state));
        }
    }

    #[test]
    fn years_outside_the_supported_range_have_no_holidays() {
        assert!(german_holidays(i16::MAX, None).is_empty());
        assert_eq!(easter_sunday(i16::MIN), None);
        assert_eq!(german_holidays(9999, None).len(), 9);
    }

    #[test]
    fn ascension_and_labour_day_can_fall_together() {
        // 2008: Easter on 23 March, so Ascension Day was 1 May.
        let first_of_may: Vec<&str> = german_holidays(2008, None)
            .into_iter()
            .filter(|h| h.date == date(2008, 5, 1))
            .map(|h| h.name)
            .collect();
        assert_eq!(first_of_may, ["Tag der Arbeit", "Christi Himmelfahrt"]);
    }
}
