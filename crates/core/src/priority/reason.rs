//! Why a request has its score: one reason per part, told in German or English.

use serde::{Deserialize, Serialize};

use crate::catalog::default_channels;

/// Why a part of the score is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Reason {
    /// The response is due in this many whole minutes (0: due now).
    DueIn { minutes: i64 },
    /// The response was due this many whole minutes ago.
    Overdue { minutes: i64 },
    /// The customer's lifetime value.
    Value { lifetime_value_cents: i64 },
    /// The customer belongs to this segment (its key in the weights).
    Segment { name: String },
    /// The text asks for haste; `cue` is the first such word as written.
    Urgent { cue: String },
    /// The customer is upset; `cue` is the first such word as written.
    Negative { cue: String },
    /// The request came through this channel (its key in the weights).
    Channel { name: String },
    /// The customer got in touch this many times before (the points may count fewer).
    RepeatContact { count: u32 },
}

/// One part of a score: a reason and the points it gives (negative: it takes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Part {
    pub reason: Reason,
    pub points: f64,
}

/// German for a language tag starting with `de`, English for every other.
pub(crate) fn is_german(lang: &str) -> bool {
    lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("de"))
}

impl Reason {
    /// The reason in words for people, in German for `lang` `de` (or `de-…`), else in English:
    /// "due in 40 min" / "fällig in 40 Min.", "angry: 'unverschämt'".
    pub fn describe(&self, lang: &str) -> String {
        let german = is_german(lang);
        match self {
            Reason::DueIn { minutes: 0 } if german => "jetzt fällig".to_owned(),
            Reason::DueIn { minutes: 0 } => "due now".to_owned(),
            Reason::DueIn { minutes } if german => format!("fällig in {}", span(*minutes, true)),
            Reason::DueIn { minutes } => format!("due in {}", span(*minutes, false)),
            Reason::Overdue { minutes: 0 } if german => "soeben überfällig".to_owned(),
            Reason::Overdue { minutes: 0 } => "just overdue".to_owned(),
            Reason::Overdue { minutes } if german => {
                format!("seit {} überfällig", span(*minutes, true))
            }
            Reason::Overdue { minutes } => format!("overdue by {}", span(*minutes, false)),
            Reason::Value {
                lifetime_value_cents,
            } => {
                let euros = grouped(lifetime_value_cents / 100, german);
                if german {
                    format!("Kundenwert {euros} €")
                } else {
                    format!("customer value €{euros}")
                }
            }
            Reason::Segment { name } if german => format!("Kundensegment {name}"),
            Reason::Segment { name } => format!("{name} customer"),
            Reason::Urgent { cue } if german => format!("dringend: „{cue}“"),
            Reason::Urgent { cue } => format!("urgent: '{cue}'"),
            Reason::Negative { cue } if german => format!("verärgert: „{cue}“"),
            Reason::Negative { cue } => format!("angry: '{cue}'"),
            Reason::Channel { name } => {
                let channel = default_channels().into_iter().find(|c| c.key == *name);
                match (channel, german) {
                    (Some(channel), true) => format!("Kanal: {}", channel.label_de),
                    (Some(channel), false) => format!("channel: {}", channel.label_en),
                    (None, true) => format!("Kanal: {name}"),
                    (None, false) => format!("channel: {name}"),
                }
            }
            Reason::RepeatContact { count: 1 } if german => "1 früherer Kontakt".to_owned(),
            Reason::RepeatContact { count: 1 } => "1 earlier contact".to_owned(),
            Reason::RepeatContact { count } if german => format!("{count} frühere Kontakte"),
            Reason::RepeatContact { count } => format!("{count} earlier contacts"),
        }
    }
}

impl Part {
    /// The reason and its points: "due in 40 min +73.3", "Kanal: Brief -5".
    pub fn describe(&self, lang: &str) -> String {
        with_points(self.reason.describe(lang), self.points, lang)
    }
}

/// A reason told in words followed by its points: "3 open contradictions +12".
pub(crate) fn with_points(reason: String, points: f64, lang: &str) -> String {
    format!("{reason} {}", signed(points, is_german(lang)))
}

/// A time span in minutes as people read it: "40 min", "2 h 5 min", "3 d 4 h"; minutes are
/// left out from a day on, as they no longer matter.
fn span(minutes: i64, german: bool) -> String {
    let (min, h, d) = if german {
        ("Min.", "Std.", "Tg.")
    } else {
        ("min", "h", "d")
    };
    let minutes = minutes.max(0);
    let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours, rest) {
        (0, 0, rest) => format!("{rest} {min}"),
        (0, hours, 0) => format!("{hours} {h}"),
        (0, hours, rest) => format!("{hours} {h} {rest} {min}"),
        (days, 0, _) => format!("{days} {d}"),
        (days, hours, _) => format!("{days} {d} {hours} {h}"),
    }
}

/// A whole number with thousands separators: "12,500" in English, "12.500" in German.
pub(crate) fn grouped(value: i64, german: bool) -> String {
    let separator = if german { '.' } else { ',' };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Points with their sign and at most one decimal: "+30", "-5", "+72.5" ("+72,5" in German).
pub(crate) fn signed(points: f64, german: bool) -> String {
    let text = decimal(points, german);
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// A number with at most one decimal, as people of the language write it: "4.7", "4,7",
/// "-23".
pub(crate) fn decimal(value: f64, german: bool) -> String {
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    match tenths % 10 {
        0 => format!("{sign}{}", tenths / 10),
        d => format!("{sign}{}{}{d}", tenths / 10, if german { ',' } else { '.' }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_in_english_and_german() {
        let cases = [
            (
                Reason::DueIn { minutes: 40 },
                "due in 40 min",
                "fällig in 40 Min.",
            ),
            (Reason::DueIn { minutes: 0 }, "due now", "jetzt fällig"),
            (
                Reason::DueIn { minutes: 180 },
                "due in 3 h",
                "fällig in 3 Std.",
            ),
            (
                Reason::DueIn {
                    minutes: 1440 + 250,
                },
                "due in 1 d 4 h",
                "fällig in 1 Tg. 4 Std.",
            ),
            (
                Reason::Overdue { minutes: 125 },
                "overdue by 2 h 5 min",
                "seit 2 Std. 5 Min. überfällig",
            ),
            (
                Reason::Overdue { minutes: 0 },
                "just overdue",
                "soeben überfällig",
            ),
            (
                Reason::Value {
                    lifetime_value_cents: 123_456_789,
                },
                "customer value €1,234,567",
                "Kundenwert 1.234.567 €",
            ),
            (
                Reason::Segment {
                    name: "premium".into(),
                },
                "premium customer",
                "Kundensegment premium",
            ),
            (
                Reason::Urgent { cue: "ASAP".into() },
                "urgent: 'ASAP'",
                "dringend: „ASAP“",
            ),
            (
                Reason::Negative {
                    cue: "unverschämt".into(),
                },
                "angry: 'unverschämt'",
                "verärgert: „unverschämt“",
            ),
            (
                Reason::Channel {
                    name: "letter".into(),
                },
                "channel: Letter",
                "Kanal: Brief",
            ),
            (
                Reason::Channel { name: "fax".into() },
                "channel: fax",
                "Kanal: fax",
            ),
            (
                Reason::RepeatContact { count: 1 },
                "1 earlier contact",
                "1 früherer Kontakt",
            ),
            (
                Reason::RepeatContact { count: 4 },
                "4 earlier contacts",
                "4 frühere Kontakte",
            ),
        ];
        for (reason, english, german) in cases {
            assert_eq!(reason.describe("en"), english);
            assert_eq!(reason.describe("de-DE"), german);
        }
        assert_eq!(Reason::DueIn { minutes: 5 }.describe("fr"), "due in 5 min");
    }

    #[test]
    fn points_carry_their_sign_and_one_decimal() {
        assert_eq!(signed(30.0, false), "+30");
        assert_eq!(signed(-5.0, false), "-5");
        assert_eq!(signed(72.5, false), "+72.5");
        assert_eq!(signed(72.5, true), "+72,5");
        assert_eq!(signed(73.334, false), "+73.3");
        assert_eq!(signed(-0.04, false), "+0");
    }

    #[test]
    fn parts_read_as_reason_and_points() {
        let part = Part {
            reason: Reason::Segment { name: "vip".into() },
            points: 25.0,
        };
        assert_eq!(part.describe("en"), "vip customer +25");
        assert_eq!(part.describe("de"), "Kundensegment vip +25");
    }

    #[test]
    fn reasons_serialise_with_their_kind() {
        let part = Part {
            reason: Reason::DueIn { minutes: 45 },
            points: 72.5,
        };
        let json = serde_json::to_value(&part).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"reason": {"kind": "due_in", "minutes": 45}, "points": 72.5})
        );
        let back: Part = serde_json::from_value(json).expect("parses");
        assert_eq!(back, part);
        let repeat = serde_json::to_value(Reason::RepeatContact { count: 2 }).expect("serialises");
        assert_eq!(
            repeat,
            serde_json::json!({"kind": "repeat_contact", "count": 2})
        );
    }
}
