//! Amounts and days as German or English readers write them: in pages, exports and messages
//! to customers alike.

use jiff::civil::Date;

/// Whole numbers with thousands separators: "1.234" in German, "1,234" in English.
pub fn grouped(value: i64, english: bool) -> String {
    let digits = value.unsigned_abs().to_string();
    let separator = if english { ',' } else { '.' };
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    if value < 0 { format!("-{out}") } else { out }
}

/// An amount of cents as euros: "5.000 €" or "1.234,50 €" in German, "€5,000" in English;
/// cents are shown only when there are any.
pub fn euros(cents: i64, english: bool) -> String {
    // The sign once, in front: -50 cents are "-0,50 €" and "-€0.50", not "0,50 €".
    let sign = if cents < 0 { "-" } else { "" };
    let whole = grouped((cents / 100).abs(), english);
    let rest = (cents % 100).abs();
    let amount = match (rest, english) {
        (0, _) => whole,
        (_, true) => format!("{whole}.{rest:02}"),
        (_, false) => format!("{whole},{rest:02}"),
    };
    if english {
        format!("{sign}€{amount}")
    } else {
        format!("{sign}{amount} €")
    }
}

/// A day of the week: "Montag", "Monday".
pub fn weekday(day: jiff::civil::Weekday, english: bool) -> &'static str {
    use jiff::civil::Weekday::*;
    match (day, english) {
        (Monday, false) => "Montag",
        (Tuesday, false) => "Dienstag",
        (Wednesday, false) => "Mittwoch",
        (Thursday, false) => "Donnerstag",
        (Friday, false) => "Freitag",
        (Saturday, false) => "Samstag",
        (Sunday, false) => "Sonntag",
        (Monday, true) => "Monday",
        (Tuesday, true) => "Tuesday",
        (Wednesday, true) => "Wednesday",
        (Thursday, true) => "Thursday",
        (Friday, true) => "Friday",
        (Saturday, true) => "Saturday",
        (Sunday, true) => "Sunday",
    }
}

/// A calendar day: "26.02.2027" in German, "2027-02-26" in English.
pub fn day(date: Date, english: bool) -> String {
    if english {
        date.to_string()
    } else {
        date.strftime("%d.%m.%Y").to_string()
    }
}
