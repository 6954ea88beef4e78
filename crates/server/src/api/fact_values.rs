//! How a guideline fact's canonical value is written through the API, per kind of value.
//!
//! The core reads a value the way it reads text in a channel: "30 Tage", "zwei Wochen",
//! "binnen 14 Tagen", "Mo–Fr 8–18 Uhr", "31. Dezember 2026" and many more, through finders
//! with rules about their neighbours that no JSON Schema can state. The API takes the value in
//! one of the plain forms below instead, each a regular expression the OpenAPI document states
//! and the server checks here, so that what a client can generate from the document is what
//! the server stores. Every form is one the core reads (a test checks examples of each); the
//! guideline editor and YAML files keep accepting everything the core reads.

use touchpoints_core::consistency::value::ValueKind;

/// Units of a duration, German and English, singular and plural.
const DURATION_UNITS: [&str; 24] = [
    "Stunde",
    "Stunden",
    "Tag",
    "Tage",
    "Tagen",
    "Werktag",
    "Werktage",
    "Werktagen",
    "Woche",
    "Wochen",
    "Monat",
    "Monate",
    "Monaten",
    "Jahr",
    "Jahre",
    "Jahren",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
];
/// English years, kept apart so that the list above stays one line per language in spirit.
const DURATION_UNITS_EN_YEAR: [&str; 2] = ["year", "years"];

const CURRENCIES: [&str; 5] = ["€", "EUR", "USD", "GBP", "CHF"];

/// A label of a host name: letters and digits, hyphens inside.
const LABEL: &str = "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?";

/// A time of day `H:MM` or `HH:MM`, 0:00 to 23:59, or 24:00 for the end of the day.
const TIME: &str = "(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)";
/// A whole hour before "Uhr", 0 to 24.
const HOUR: &str = "([01]?[0-9]|2[0-4])";

/// A day and month that every year has, `DD` and `MM`: as `(day, month)` pattern pairs.
const DAY_MONTH: [(&str, &str); 3] = [
    ("(0[1-9]|1[0-9]|2[0-8])", "(0[1-9]|1[0-2])"),
    ("(29|30)", "(0[13-9]|1[0-2])"),
    ("31", "(0[13578]|1[02])"),
];
/// Years 1000 to 9999.
const YEAR: &str = "[1-9][0-9]{3}";
/// Leap years 1000 to 9999 of the Gregorian calendar.
const LEAP_YEAR: &str = "([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)";

/// The pattern a value of the kind matches, anchored at both ends, in the syntax JSON Schema
/// shares with ECMAScript, Python and Rust.
pub(super) fn pattern(kind: ValueKind) -> String {
    match kind {
        ValueKind::Duration => {
            let units: Vec<&str> = DURATION_UNITS
                .iter()
                .chain(&DURATION_UNITS_EN_YEAR)
                .copied()
                .collect();
            format!("^[1-9][0-9]{{0,4}} ({})$", units.join("|"))
        }
        ValueKind::Price => format!(
            "^(0|[1-9][0-9]{{0,8}})(,[0-9]{{2}})? ({})$",
            CURRENCIES.join("|")
        ),
        ValueKind::Phone => "^(\\+[1-9]( ?[0-9]){7,14}|0[1-9]( ?[0-9]){5,12})$".to_owned(),
        ValueKind::Email => {
            format!("^[A-Za-z0-9_%+-]+(\\.[A-Za-z0-9_%+-]+)*@({LABEL}\\.)+[A-Za-z]{{2,63}}$")
        }
        ValueKind::Url => {
            format!("^(https?://)?({LABEL}\\.)+[A-Za-z]{{2,63}}([/?#][!-~]*)?$")
        }
        ValueKind::Hours => format!("^({TIME}[-–]{TIME}( Uhr)?|{HOUR}[-–]{HOUR} Uhr)$"),
        ValueKind::Date => {
            let mut dmy: Vec<String> = DAY_MONTH
                .iter()
                .map(|(d, m)| format!("{d}\\.{m}\\.{YEAR}"))
                .collect();
            dmy.push(format!("29\\.02\\.{LEAP_YEAR}"));
            let mut iso: Vec<String> = DAY_MONTH
                .iter()
                .map(|(d, m)| format!("{YEAR}-{m}-{d}"))
                .collect();
            iso.push(format!("{LEAP_YEAR}-02-29"));
            format!("^({}|{})$", dmy.join("|"), iso.join("|"))
        }
        ValueKind::Percentage => "^(0|[1-9][0-9]{0,2})(,[0-9]{1,2})? ?%$".to_owned(),
    }
}

/// How the forms read, for the document.
pub(super) fn description(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Duration => {
            "A whole number and a unit: `30 Tage`, `14 Werktage`, `2 weeks`, `24 Stunden`."
        }
        ValueKind::Price => {
            "An amount with two decimals after a comma or none, and its currency: `9,99 €`, \
             `1299 EUR`, `0 CHF`."
        }
        ValueKind::Phone => {
            "`+` and the country code, or a German national number from `0`; single spaces \
             between digits: `0800 123 45 67`, `+49 40 123456`."
        }
        ValueKind::Email => "An e-mail address: `service@nordlicht-wohnen.de`.",
        ValueKind::Url => {
            "A web address, with `http://` or `https://` or without: \
             `nordlicht-wohnen.de/faq`, `https://www.nordlicht-wohnen.de/rueckgabe`."
        }
        ValueKind::Hours => {
            "Opening and closing time: `08:00–18:00`, `9:00-17:30 Uhr`, `8–18 Uhr`."
        }
        ValueKind::Date => "A day as `31.12.2026` or `2026-12-31`.",
        ValueKind::Percentage => "A number with up to two decimals and `%`: `15 %`, `2,5%`.",
    }
}

/// Whether `value` is written in the form [`pattern`] states for the kind.
pub(super) fn accepts(kind: ValueKind, value: &str) -> bool {
    match kind {
        ValueKind::Duration => duration(value),
        ValueKind::Price => price(value),
        ValueKind::Phone => phone(value),
        ValueKind::Email => email(value),
        ValueKind::Url => url(value),
        ValueKind::Hours => hours(value),
        ValueKind::Date => date(value),
        ValueKind::Percentage => percentage(value),
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `0`, or up to `max` digits without a leading zero.
fn whole(s: &str, max: usize) -> bool {
    s == "0" || (digits(s) && s.len() <= max && !s.starts_with('0'))
}

fn duration(value: &str) -> bool {
    let Some((number, unit)) = value.split_once(' ') else {
        return false;
    };
    whole(number, 5)
        && number != "0"
        && (DURATION_UNITS.contains(&unit) || DURATION_UNITS_EN_YEAR.contains(&unit))
}

fn price(value: &str) -> bool {
    let Some((amount, currency)) = value.rsplit_once(' ') else {
        return false;
    };
    let (units, cents) = match amount.split_once(',') {
        Some((units, cents)) => (units, Some(cents)),
        None => (amount, None),
    };
    CURRENCIES.contains(&currency)
        && whole(units, 9)
        && cents.is_none_or(|c| c.len() == 2 && digits(c))
}

/// Digits with single spaces between them, `min..=max` digits in all.
fn spaced_digits(s: &str, min: usize, max: usize) -> bool {
    let count = s.bytes().filter(u8::is_ascii_digit).count();
    s.bytes().all(|b| b.is_ascii_digit() || b == b' ')
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && (min..=max).contains(&count)
}

fn phone(value: &str) -> bool {
    if let Some(rest) = value.strip_prefix('+') {
        rest.starts_with(|c: char| ('1'..='9').contains(&c)) && spaced_digits(rest, 8, 15)
    } else if let Some(rest) = value.strip_prefix('0') {
        rest.starts_with(|c: char| ('1'..='9').contains(&c)) && spaced_digits(rest, 6, 13)
    } else {
        false
    }
}

fn label(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Labels and a top-level domain of 2 to 63 letters.
fn host(s: &str) -> bool {
    let Some((labels, tld)) = s.rsplit_once('.') else {
        return false;
    };
    labels.split('.').all(label)
        && (2..=63).contains(&tld.len())
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
}

fn email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    local.split('.').all(|atom| {
        !atom.is_empty()
            && atom
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'%' | b'+' | b'-'))
    }) && host(domain)
}

fn url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .unwrap_or(value);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (name, path) = rest.split_at(end);
    host(name) && path.bytes().all(|b| (b'!'..=b'~').contains(&b))
}

/// `H:MM` or `HH:MM` up to 23:59, or 24:00.
fn time(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else {
        return false;
    };
    let hour_ok = digits(h) && h.len() <= 2 && h.parse::<u8>().is_ok_and(|h| h <= 23);
    let minute_ok = digits(m) && m.len() == 2 && m.parse::<u8>().is_ok_and(|m| m <= 59);
    (hour_ok && minute_ok) || s == "24:00"
}

/// A whole hour 0 to 24, one or two digits.
fn hour(s: &str) -> bool {
    digits(s) && s.len() <= 2 && s.parse::<u8>().is_ok_and(|h| h <= 24)
}

fn hours(value: &str) -> bool {
    let (span, uhr) = match value.strip_suffix(" Uhr") {
        Some(span) => (span, true),
        None => (value, false),
    };
    let Some((open, close)) = span.split_once('–').or_else(|| span.split_once('-')) else {
        return false;
    };
    (time(open) && time(close)) || (uhr && hour(open) && hour(close))
}

fn date(value: &str) -> bool {
    let b = value.as_bytes();
    let (y, m, d) = match b.len() {
        10 if b[2] == b'.' && b[5] == b'.' => (&value[6..10], &value[3..5], &value[0..2]),
        10 if b[4] == b'-' && b[7] == b'-' => (&value[0..4], &value[5..7], &value[8..10]),
        _ => return false,
    };
    if !(digits(y) && digits(m) && digits(d)) || y.starts_with('0') {
        return false;
    }
    match (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) {
        (Ok(y), Ok(m), Ok(d)) => jiff::civil::Date::new(y, m, d).is_ok(),
        _ => false,
    }
}

fn percentage(value: &str) -> bool {
    let Some(number) = value.strip_suffix('%') else {
        return false;
    };
    let number = number.strip_suffix(' ').unwrap_or(number);
    let (units, fraction) = match number.split_once(',') {
        Some((units, fraction)) => (units, Some(fraction)),
        None => (number, None),
    };
    whole(units, 3) && fraction.is_none_or(|f| (1..=2).contains(&f.len()) && digits(f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use touchpoints_core::consistency::value::parse_value;

    /// Values in the API's forms, each of which the core must read as its kind.
    const ACCEPTED: &[(ValueKind, &str)] = &[
        (ValueKind::Duration, "30 Tage"),
        (ValueKind::Duration, "1 Tag"),
        (ValueKind::Duration, "14 Werktagen"),
        (ValueKind::Duration, "99999 years"),
        (ValueKind::Duration, "12 Monate"),
        (ValueKind::Duration, "24 Stunden"),
        (ValueKind::Price, "9,99 €"),
        (ValueKind::Price, "0 CHF"),
        (ValueKind::Price, "999999999,99 EUR"),
        (ValueKind::Price, "1299 USD"),
        (ValueKind::Price, "0,05 GBP"),
        (ValueKind::Phone, "0800 123 45 67"),
        (ValueKind::Phone, "+49 40 123456"),
        (ValueKind::Phone, "+12345678"),
        (ValueKind::Phone, "+1 2 3 4 5 6 7 8 9 0 1 2 3 4 5"),
        (ValueKind::Phone, "0123456"),
        (ValueKind::Phone, "01 2 3 4 5 6 7 8 9 0 1 2 3"),
        (ValueKind::Email, "service@nordlicht-wohnen.de"),
        (ValueKind::Email, "a.b+c%d_e-f@x-1.y2.Example.ORG"),
        (ValueKind::Url, "nordlicht-wohnen.de/faq"),
        (
            ValueKind::Url,
            "https://www.nordlicht-wohnen.de/rueckgabe?x=1#y",
        ),
        (ValueKind::Url, "http://a.bc"),
        (ValueKind::Url, "www.de"),
        (ValueKind::Hours, "08:00–18:00"),
        (ValueKind::Hours, "9:00-17:30 Uhr"),
        (ValueKind::Hours, "8–18 Uhr"),
        (ValueKind::Hours, "0-24 Uhr"),
        (ValueKind::Hours, "24:00-0:00"),
        (ValueKind::Hours, "23:59–00:00 Uhr"),
        (ValueKind::Date, "31.12.2026"),
        (ValueKind::Date, "29.02.2024"),
        (ValueKind::Date, "29.02.2000"),
        (ValueKind::Date, "2026-12-31"),
        (ValueKind::Date, "1600-02-29"),
        (ValueKind::Date, "9999-12-31"),
        (ValueKind::Date, "1000-01-01"),
        (ValueKind::Percentage, "15 %"),
        (ValueKind::Percentage, "2,5%"),
        (ValueKind::Percentage, "0,05 %"),
        (ValueKind::Percentage, "999,99 %"),
    ];

    /// Values the core may read but the API's forms leave out, or nobody reads.
    const REFUSED: &[(ValueKind, &str)] = &[
        (ValueKind::Duration, "0 Tage"),
        (ValueKind::Duration, "030 Tage"),
        (ValueKind::Duration, "zwei Wochen"),
        (ValueKind::Duration, "30  Tage"),
        (ValueKind::Duration, "30 Tage "),
        (ValueKind::Duration, "100000 Tage"),
        (ValueKind::Price, "9,9 €"),
        (ValueKind::Price, "09,99 €"),
        (ValueKind::Price, "1.299,00 €"),
        (ValueKind::Price, "9,99€"),
        (ValueKind::Price, "1000000000 EUR"),
        (ValueKind::Phone, "0800  123"),
        (ValueKind::Phone, "00800 123 45 67"),
        (ValueKind::Phone, "+0 123456789"),
        (ValueKind::Phone, "012345"),
        (ValueKind::Phone, "+1234567"),
        (ValueKind::Phone, "+1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6"),
        (ValueKind::Phone, "0800 123 45 67 "),
        (ValueKind::Email, ".a@b.de"),
        (ValueKind::Email, "a..b@b.de"),
        (ValueKind::Email, "a@-b.de"),
        (ValueKind::Email, "a@b.d"),
        (ValueKind::Email, "a@b.d3"),
        (ValueKind::Email, "a@b@c.de"),
        (ValueKind::Url, "https://x"),
        (ValueKind::Url, "x.de/a b"),
        (ValueKind::Url, "HTTPS://x.de"),
        (ValueKind::Url, "x.de:8080"),
        (ValueKind::Hours, "8-18"),
        (ValueKind::Hours, "24:30-25:00"),
        (ValueKind::Hours, "8:0-9:00"),
        (ValueKind::Hours, "08:00 – 18:00"),
        (ValueKind::Hours, "25-26 Uhr"),
        (ValueKind::Date, "29.02.2100"),
        (ValueKind::Date, "31.04.2026"),
        (ValueKind::Date, "1.1.2026"),
        (ValueKind::Date, "0999-01-01"),
        (ValueKind::Date, "2026-02-30"),
        (ValueKind::Percentage, "15"),
        (ValueKind::Percentage, "1000 %"),
        (ValueKind::Percentage, "2,555 %"),
        (ValueKind::Percentage, "15  %"),
    ];

    #[test]
    fn every_form_the_api_takes_is_read_by_the_core() {
        for &(kind, value) in ACCEPTED {
            assert!(accepts(kind, value), "{kind:?} {value:?} is refused");
            assert!(
                parse_value(kind, value).is_some(),
                "{kind:?} {value:?} is not read by the core"
            );
        }
    }

    #[test]
    fn other_forms_are_refused() {
        for &(kind, value) in REFUSED {
            assert!(!accepts(kind, value), "{kind:?} {value:?} is accepted");
        }
    }

    #[test]
    fn the_patterns_are_anchored_and_name_every_kind() {
        for kind in ValueKind::ALL {
            let p = pattern(kind);
            assert!(p.starts_with('^') && p.ends_with('$'), "{p}");
            assert!(!description(kind).is_empty());
        }
    }
}
