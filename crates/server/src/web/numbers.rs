//! Numbers, money and days as a page of either language writes them.

use jiff::civil::Date;
use touchpoints_core::kpi::Metric;
use touchpoints_core::written;

use crate::i18n::Lang;

/// A number with `places` decimals: German with a decimal comma, "-0" shown as 0.
pub(super) fn number(value: f64, places: usize, lang: Lang) -> String {
    let text = format!("{value:.places$}");
    let text = if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    };
    match lang {
        Lang::De => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A number with at most one decimal, none when it is whole: "12,5", "4".
pub(super) fn short_number(value: f64, lang: Lang) -> String {
    let text = number(value, 1, lang);
    match text.strip_suffix(lang.pick(",0", ".0")) {
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

/// A span of minutes as people say it: "45 Min.", "4 Std.", "1 Std. 30 Min.", "3 Tage" in
/// German; "45 min", "4 h", "1 h 30 min", "3 days" in English. Whole days only from two days
/// on, as a target of "1 Tag" reads as a calendar day where the clock may count hours.
pub(super) fn minutes(total: i64, lang: Lang) -> String {
    const DAY: i64 = 24 * 60;
    let (hour_unit, minute_unit) = (lang.pick("Std.", "h"), lang.pick("Min.", "min"));
    if total >= 2 * DAY && total % DAY == 0 {
        let days = total / DAY;
        return format!("{days} {}", lang.pick("Tage", "days"));
    }
    let (hours, rest) = (total / 60, total % 60);
    match (hours, rest) {
        (0, m) => format!("{m} {minute_unit}"),
        (h, 0) => format!("{h} {hour_unit}"),
        (h, m) => format!("{h} {hour_unit} {m} {minute_unit}"),
    }
}

/// An amount of cents as euros: "5.000 €" or "1.234,50 €" in German, "€5,000" in English.
pub(super) fn euros(cents: i64, lang: Lang) -> String {
    written::euros(cents, lang == Lang::En)
}

/// A calendar day: "26.02.2027" in German, "2027-02-26" in English.
pub(super) fn day(date: Date, lang: Lang) -> String {
    written::day(date, lang == Lang::En)
}

/// Decimal places a metric's values are shown with: NPS in whole points, CSAT in percent
/// with one decimal, CES on its 1–7 scale with two.
pub(super) fn decimals(metric: Metric) -> usize {
    match metric {
        Metric::Nps => 0,
        Metric::Csat => 1,
        Metric::Ces => 2,
    }
}

/// A number with its sign: "+3,5", "-2", and 0 without one.
pub(super) fn signed(value: f64, places: usize, lang: Lang) -> String {
    let text = number(value, places, lang);
    if text.starts_with('-') || text.chars().all(|c| c == '0' || c == ',' || c == '.') {
        text
    } else {
        format!("+{text}")
    }
}

/// The unit a metric's value is written with.
pub(super) fn unit(metric: Metric) -> &'static str {
    match metric {
        Metric::Csat => " %",
        Metric::Nps | Metric::Ces => "",
    }
}

fn thousands_separator(lang: Lang) -> char {
    match lang {
        Lang::De => '.',
        Lang::En => ',',
    }
}

/// A number as typed on a page of `lang`, rewritten with `.` as its only decimal mark and
/// no thousands separators. People type either mark on either page, so: with both `,` and
/// `.` the later is the decimal mark; one mark repeated separates thousands; a single one
/// is the decimal mark, unless it is the page's thousands separator followed by exactly
/// three digits ("1.000" on a German page, "1,000" on an English one). `None` when the
/// thousands are not grouped by three ("1.5.3").
pub(super) fn normalise_number(text: &str, lang: Lang) -> Option<String> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let commas = text.matches(',').count();
    let dots = text.matches('.').count();
    let decimal = match (commas, dots) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let mark = if commas > 0 { ',' } else { '.' };
            let after = text.rsplit(mark).next().unwrap_or("");
            let thousands = commas + dots > 1
                || (mark == thousands_separator(lang)
                    && after.len() == 3
                    && after.chars().all(|c| c.is_ascii_digit()));
            (!thousands).then_some(mark)
        }
        _ => text
            .rfind([',', '.'])
            .and_then(|i| text[i..].chars().next()),
    };
    let whole = match decimal {
        Some(mark) => text.rsplit_once(mark).map_or(text.as_str(), |(w, _)| w),
        None => text.as_str(),
    };
    let mut groups = whole.split([',', '.']).skip(1);
    if !groups.all(|g| g.len() == 3) {
        return None;
    }
    Some(
        text.chars()
            .filter_map(|c| match c {
                ',' | '.' if Some(c) == decimal => Some('.'),
                ',' | '.' => None,
                other => Some(other),
            })
            .collect(),
    )
}

/// A decimal number as typed on a page of `lang` (see [`normalise_number`]).
pub(super) fn parse_decimal(text: &str, lang: Lang) -> Option<f64> {
    normalise_number(text, lang)?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_minutes_read_in_hours_and_days() {
        assert_eq!(minutes(45, Lang::De), "45 Min.");
        assert_eq!(minutes(240, Lang::De), "4 Std.");
        assert_eq!(minutes(90, Lang::De), "1 Std. 30 Min.");
        assert_eq!(minutes(2400, Lang::De), "40 Std.");
        assert_eq!(minutes(1440, Lang::De), "24 Std.");
        assert_eq!(minutes(3 * 1440, Lang::De), "3 Tage");
        assert_eq!(minutes(90, Lang::En), "1 h 30 min");
        assert_eq!(minutes(3 * 1440, Lang::En), "3 days");
        assert_eq!(minutes(0, Lang::En), "0 min");
    }

    #[test]
    fn a_negative_amount_keeps_its_sign_below_one_euro() {
        assert_eq!(euros(-50, Lang::De), "-0,50 €");
        assert_eq!(euros(-123_450, Lang::De), "-1.234,50 €");
        assert_eq!(euros(-50, Lang::En), "-€0.50");
    }

    #[test]
    fn money_and_numbers_follow_the_language() {
        assert_eq!(euros(500_000, Lang::De), "5.000 €");
        assert_eq!(euros(123_450, Lang::De), "1.234,50 €");
        assert_eq!(euros(123_450, Lang::En), "€1,234.50");
        assert_eq!(euros(0, Lang::En), "€0");
        assert_eq!(written::grouped(1_234_567, false), "1.234.567");
        assert_eq!(number(-0.04, 1, Lang::De), "0,0");
        assert_eq!(number(12.5, 1, Lang::De), "12,5");
        assert_eq!(short_number(12.0, Lang::De), "12");
        assert_eq!(
            short_number(10.0, Lang::En),
            "10",
            "only a trailing zero decimal goes"
        );
    }
}
