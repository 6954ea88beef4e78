//! The content library and the documented weaknesses: what the checker reads from the
//! database, and what becomes of its findings (open, accepted, fixed).

use serde::{Deserialize, Serialize};

use super::check::{Finding, FindingKind, Place};
use crate::problem::{Problems, check_text};

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 500_000;

/// A published text as kept in the library, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentFields {
    pub title: String,
    /// Channel key; tone rules may apply per channel.
    #[serde(default)]
    pub channel: Option<String>,
    /// The touchpoint the text belongs to, if any.
    #[serde(default)]
    pub touchpoint_id: Option<i64>,
    #[serde(default)]
    pub url: String,
    /// `de`, `en`, …
    #[serde(default)]
    pub language: String,
    /// Plain text (markup already removed).
    pub body: String,
    /// First day the text is published; the checker reads only texts in force.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub valid_from: Option<jiff::civil::Date>,
    /// Last day the text is published.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub valid_until: Option<jiff::civil::Date>,
}

impl ContentFields {
    pub fn validate(&self) -> Result<ContentFields, Problems> {
        let mut p = Problems::default();
        let fields = ContentFields {
            title: check_text(&mut p, "title", &self.title, TITLE_MAX, true),
            channel: self
                .channel
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
            touchpoint_id: self.touchpoint_id,
            url: check_text(&mut p, "url", &self.url, 500, false),
            language: check_text(&mut p, "language", &self.language, 10, false),
            body: check_text(&mut p, "body", &self.body, BODY_MAX, true),
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        };
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until)
            && until < from
        {
            p.push(
                "valid_until",
                crate::problem::Problem::rule("ends-before-start", "ends before it starts"),
            );
        }
        p.into_result(fields)
    }

    /// Whether the text is published on `day`.
    pub fn valid_on(&self, day: jiff::civil::Date) -> bool {
        self.valid_from.is_none_or(|from| day >= from)
            && self.valid_until.is_none_or(|until| day <= until)
    }
}

/// What the team decided about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FindingStatus {
    /// To be dealt with.
    Open,
    /// Known and accepted as it is (with a reason in the audit log).
    Accepted,
    /// Fixed; if the checker finds it again, it opens again.
    Fixed,
}

impl FindingStatus {
    pub const ALL: [FindingStatus; 3] = [
        FindingStatus::Open,
        FindingStatus::Accepted,
        FindingStatus::Fixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::Accepted => "accepted",
            FindingStatus::Fixed => "fixed",
        }
    }

    pub fn parse(value: &str) -> Option<FindingStatus> {
        FindingStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

impl Finding {
    /// Whether this finding is an earlier one (`kind`, `rule`, `places`) with more evidence:
    /// the same kind and rule, every earlier place (source and excerpt) still among its
    /// places, and at least one more. Its fingerprint is new, but it is the same problem, so
    /// it keeps the earlier one's record, and an accepted one is open again.
    pub fn extends(&self, kind: FindingKind, rule: &str, places: &[Place]) -> bool {
        let key = |p: &Place| (p.source.clone(), p.excerpt.clone());
        let now: std::collections::HashSet<_> = self.places.iter().map(key).collect();
        let before: std::collections::HashSet<_> = places.iter().map(key).collect();
        self.kind == kind
            && self.rule == rule
            && !before.is_empty()
            && before.is_subset(&now)
            && now.len() > before.len()
    }

    /// Identifies a finding across runs of the checker, so that its status survives: the
    /// kind, the rule and the places (source and excerpt), not line numbers, which move when
    /// text above is edited. FNV-1a, 64 bits, as hex.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |text: &str| {
            for byte in text.bytes().chain(std::iter::once(0xff)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        feed(self.kind.as_str());
        feed(&self.rule);
        let mut places: Vec<(&str, &str)> = self
            .places
            .iter()
            .map(|p| (p.source.as_str(), p.excerpt.as_str()))
            .collect();
        places.sort_unstable();
        for (source, excerpt) in places {
            feed(source);
            feed(excerpt);
        }
        format!("{hash:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consistency::check::{FindingKind, Place};

    fn place(source: &str, line: usize) -> Place {
        Place {
            source: source.into(),
            title: source.into(),
            channel: None,
            line,
            column: 1,
            excerpt: "Du hast 14 Tage Rückgaberecht.".into(),
            written: None,
            violation: None,
        }
    }

    #[test]
    fn a_finding_with_a_further_place_extends_the_earlier_one() {
        let earlier = Finding {
            kind: FindingKind::ContradictsChannel,
            rule: "return-period".into(),
            message: "x".into(),
            places: vec![place("content/1", 3), place("content/2", 9)],
            suggestion: None,
            unlisted: 0,
            unlisted_places: 0,
        };
        let mut grown = earlier.clone();
        grown.places.push(place("content/3", 1));
        let (kind, rule) = (earlier.kind, earlier.rule.as_str());
        assert!(grown.extends(kind, rule, &earlier.places));
        assert!(!earlier.extends(kind, rule, &earlier.places), "nothing new");
        assert!(!earlier.extends(kind, rule, &grown.places), "fewer places");
        assert!(!grown.extends(FindingKind::ContradictsGuideline, rule, &earlier.places));
        assert!(!grown.extends(kind, "delivery-time", &earlier.places));
        let mut elsewhere = earlier.clone();
        elsewhere.places = vec![
            place("content/1", 3),
            place("content/4", 2),
            place("content/5", 2),
        ];
        assert!(
            !elsewhere.extends(kind, rule, &earlier.places),
            "a place is gone"
        );
    }

    #[test]
    fn fingerprints_ignore_line_moves_and_place_order() {
        let finding = Finding {
            kind: FindingKind::ContradictsChannel,
            rule: "return-period".into(),
            message: "x".into(),
            places: vec![place("content/1", 3), place("content/2", 9)],
            suggestion: None,
            unlisted: 0,
            unlisted_places: 0,
        };
        let mut moved = finding.clone();
        moved.places = vec![place("content/2", 12), place("content/1", 5)];
        moved.message = "y".into();
        assert_eq!(finding.fingerprint(), moved.fingerprint());
        let mut other = finding.clone();
        other.rule = "hotline".into();
        assert_ne!(finding.fingerprint(), other.fingerprint());
    }

    #[test]
    fn content_is_checked_only_while_published() {
        let day = |d| jiff::civil::date(2026, 11, d);
        let text = ContentFields {
            title: "Aktion".into(),
            body: "Rückgabe binnen 60 Tagen.".into(),
            valid_from: Some(day(1)),
            valid_until: Some(day(15)),
            ..ContentFields::default()
        };
        assert!(text.valid_on(day(1)) && text.valid_on(day(15)));
        assert!(!text.valid_on(day(16)));
        let backwards = ContentFields {
            valid_from: Some(day(15)),
            valid_until: Some(day(1)),
            ..text
        };
        assert_eq!(
            backwards.validate().expect_err("backwards").0[0].field,
            "valid_until"
        );
    }

    #[test]
    fn content_needs_title_and_body() {
        let problems = ContentFields::default().validate().expect_err("empty");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["title", "body"]);
        let ok = ContentFields {
            title: " FAQ ".into(),
            channel: Some(" ".into()),
            body: "Rückgabe binnen 30 Tagen.".into(),
            ..ContentFields::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.title, "FAQ");
        assert_eq!(ok.channel, None);
    }
}
